package dev.tapline.goproxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.goproxy.config.GoproxyConfig;
import dev.tapline.goproxy.proxy.ProxyMode;
import dev.tapline.goproxy.proxy.ProxyStats;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.tls.TlsStats;
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

    /** A MeterBinder: Quarkus publishes it on /q/metrics. */
    @Produces
    @Singleton
    TlsStats tlsStats() {
        return new TlsStats();
    }

    @Produces
    @Singleton
    RelaySettings relaySettings(GoproxyConfig config) {
        return new RelaySettings("0.0.0.0", config.inPort(), config.reverseProxyHost().orElse(""),
                config.reverseProxyPort().orElse(0), config.idleTimeout(), Duration.ofSeconds(5),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    @Produces
    @Singleton
    ProxyMode proxyMode(GoproxyConfig config) {
        return ProxyMode.checked(config.proxyType(), config.proxyProtocol());
    }

    @Produces
    @Singleton
    ProxyStats proxyStats() {
        return new ProxyStats();
    }

    @Produces
    @Singleton
    ProxyIdentityInfo proxyIdentity(GoproxyConfig config, BuildInfo build) {
        String pod = config.appPodName().filter(s -> !s.isBlank()).orElseGet(GoproxyBeans::hostName);
        ProxyMode mode = proxyMode(config);
        String listen = mode.reverse() ? ":" + config.inPort() : config.outBind() + ":" + config.outPort();
        String backend = mode.reverse() ? config.reverseProxyHost().orElse("") + ":" + config.reverseProxyPort().orElse(0) : "";
        return new ProxyIdentityInfo(pod, config.appLabel(), pod, config.appPodNamespace().orElse(""),
                config.proxyType().toLowerCase(java.util.Locale.ROOT), build.version(), build.buildTime(), listen, backend);
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
