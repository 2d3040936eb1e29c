package dev.tapline.goproxy.tls;

import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS_OUT_UNWRAP's settings, independent of how they were configured.
 *
 * @param certDir TLS_CERT_DIR: holds (or will hold) the CA, {@code tls.crt} and {@code tls.key}
 * @param outCaFile TLS_OUT_CA: PEM bundle trusted for upstreams besides the system's; null: the system's only
 * @param mutualCertFile TLS_MUTUAL_PUBLIC_KEY: PEM chain presented to upstreams that ask for one; null: none
 * @param mutualKeyFile TLS_MUTUAL_PRIVATE_KEY: its PEM private key
 * @param handshakeTimeout TLS_HANDSHAKE_TIMEOUT: from the first TLS byte to the app's finished handshake
 */
public record TlsOutSettings(Path certDir, Path outCaFile, Path mutualCertFile, Path mutualKeyFile,
        Duration handshakeTimeout) {
    public static final String OUT_CA_VARIABLE = "TLS_OUT_CA";
    public static final String MUTUAL_CERT_VARIABLE = "TLS_MUTUAL_PUBLIC_KEY";
    public static final String MUTUAL_KEY_VARIABLE = "TLS_MUTUAL_PRIVATE_KEY";
}
