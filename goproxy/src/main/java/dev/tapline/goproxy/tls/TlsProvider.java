package dev.tapline.goproxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** Which TLS implementation the relay uses: BoringSSL (netty-tcnative) where it loads, the JDK's otherwise. */
final class TlsProvider {
    /** Set to "jdk" to measure or work around the native provider. */
    static final String PROPERTY = "tapline.tls.provider";

    private TlsProvider() {
    }

    static SslProvider choose() {
        if ("jdk".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return SslProvider.JDK;
        }
        return OpenSsl.isAvailable() && OpenSsl.isAlpnSupported() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** For the start-up lines: "OpenSSL (BoringSSL)" or "JDK". */
    static String describe(SslProvider provider) {
        return provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /** Why OpenSSL is not used, for the start-up line. */
    static String whyNotOpenSsl() {
        Throwable cause = OpenSsl.unavailabilityCause();
        return cause == null ? "asked for the JDK provider" : String.valueOf(cause.getMessage());
    }
}
