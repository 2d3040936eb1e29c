package dev.tapline.goproxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.goproxy.config.GoproxyConfig;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.uplink.ProxyIdentityInfo;

/** Plain objects goproxy is made of, handed to CDI. */
public class GoproxyBeans {

    @Produces
    @Singleton
    BuildInfo buildInfo() {
        return BuildInfo.load(GoproxyBeans.class.getClassLoader());
    }

    @Produces
    @Singleton
    RelayStats relayStats() {
        return new RelayStats();
    }

    @Produces
    @Singleton
    RelaySettings relaySettings(GoproxyConfig config) {
        return new RelaySettings("0.0.0.0", config.inPort(), config.reverseProxyHost(), config.reverseProxyPort(),
                config.idleTimeout(), Duration.ofSeconds(5), Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    @Produces
    @Singleton
    ProxyIdentityInfo proxyIdentity(GoproxyConfig config, BuildInfo build) {
        String pod = config.appPodName().filter(s -> !s.isBlank()).orElseGet(GoproxyBeans::hostName);
        return new ProxyIdentityInfo(pod, config.appLabel(), pod, config.appPodNamespace().orElse(""),
                config.proxyType(), build.version(), build.buildTime(), ":" + config.inPort(),
                config.reverseProxyHost() + ":" + config.reverseProxyPort());
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "goproxy";
        }
    }
}
