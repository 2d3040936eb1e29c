package dev.tapline.forwarder;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.forwarder.registry.ProxyRegistry;

/** Plain objects the forwarder is made of, handed to CDI. */
public class ForwarderBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    BuildInfo buildInfo() {
        return BuildInfo.load(ForwarderBeans.class.getClassLoader());
    }

    @Produces
    @Singleton
    ProxyRegistry proxyRegistry(Clock clock) {
        return new ProxyRegistry(clock);
    }
}
