package dev.tapline.goproxy;

import java.time.Duration;

import jakarta.inject.Singleton;

import dev.tapline.goproxy.relay.TapFactory;

/** The capture side of goproxy: taps on connections, the queue and the forwarder link. */
@Singleton
public class CaptureRuntime {

    TapFactory taps() {
        return TapFactory.NONE;
    }

    void start() {
    }

    void stop(Duration flushTimeout) {
    }
}
