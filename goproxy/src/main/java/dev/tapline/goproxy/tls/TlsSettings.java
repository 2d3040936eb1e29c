package dev.tapline.goproxy.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The TLS settings, independent of how they were configured.
 *
 * @param certFile TLS_IN_PUBLIC_KEY: the PEM chain clients are shown (the app's own)
 * @param keyFile TLS_IN_PRIVATE_KEY: its PEM private key
 * @param appTls REVERSE_PROXY_TLS: talk TLS to the app (false: plaintext, TLS offload)
 * @param appCaFile REVERSE_PROXY_CA: verify the app's chain and host name against this bundle; null: not verified
 * @param handshakeTimeout TLS_HANDSHAKE_TIMEOUT: from the first TLS byte to the client's finished handshake
 */
public record TlsSettings(Path certFile, Path keyFile, boolean appTls, Path appCaFile, Duration handshakeTimeout) {
    public static final String CERT_VARIABLE = "TLS_IN_PUBLIC_KEY";
    public static final String KEY_VARIABLE = "TLS_IN_PRIVATE_KEY";
    public static final String APP_CA_VARIABLE = "REVERSE_PROXY_CA";
}
