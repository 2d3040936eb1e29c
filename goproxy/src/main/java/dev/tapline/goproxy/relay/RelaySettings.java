package dev.tapline.goproxy.relay;

import java.time.Duration;

/**
 * What the relay needs to know, independent of how it was configured.
 *
 * @param listenHost interface to listen on ("0.0.0.0" for all)
 * @param listenPort port to listen on (0 = any free port)
 * @param appHost the app's host (REVERSE_PROXY_HOST)
 * @param appPort the app's port (REVERSE_PROXY_PORT)
 * @param idleTimeout close a connection idle this long both ways (0 = never)
 * @param connectTimeout give up connecting to the app after this long
 * @param eventLoops how many event loops accept and relay connections
 */
public record RelaySettings(String listenHost, int listenPort, String appHost, int appPort, Duration idleTimeout,
        Duration connectTimeout, int eventLoops) {
}
