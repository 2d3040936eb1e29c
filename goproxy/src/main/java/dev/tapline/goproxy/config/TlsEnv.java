package dev.tapline.goproxy.config;

import java.nio.file.Path;
import java.time.Duration;

import dev.tapline.common.config.EnvRules;
import dev.tapline.goproxy.tls.PemFiles;
import dev.tapline.goproxy.tls.TlsFileProblem;
import dev.tapline.goproxy.tls.TlsSettings;

/**
 * The TLS settings' start-time checks. With TLS_IN_UNWRAP the files are read and judged here, before anything
 * listens: missing, unreadable, not PEM, expired or not valid yet, a key that is not the certificate's.
 */
final class TlsEnv {

    private TlsEnv() {
    }

    static void check(EnvRules rules) {
        rules.bool("TLS_IN_UNWRAP");
        rules.bool("REVERSE_PROXY_TLS");
        rules.duration("TLS_HANDSHAKE_TIMEOUT");
        String timeout = rules.get("TLS_HANDSHAKE_TIMEOUT");
        Duration d = timeout == null ? null : EnvRules.durationOf(timeout);
        if (d != null && d.isZero()) {
            rules.problem("TLS_HANDSHAKE_TIMEOUT", timeout, "a duration from 1ms (a stalled handshake must end)");
        }
        String ca = rules.get(TlsSettings.APP_CA_VARIABLE);
        if (ca != null && !ca.isBlank()) {
            try {
                PemFiles.certificates(TlsSettings.APP_CA_VARIABLE, Path.of(ca));
            } catch (TlsFileProblem p) {
                rules.problem(p.variable(), ca, "a readable PEM CA bundle (" + p.getMessage() + ")");
            }
        }
        if (!"true".equalsIgnoreCase(rules.get("TLS_IN_UNWRAP"))) {
            return;
        }
        rules.required(TlsSettings.CERT_VARIABLE, "with TLS_IN_UNWRAP=true: path of the PEM certificate chain");
        rules.required(TlsSettings.KEY_VARIABLE, "with TLS_IN_UNWRAP=true: path of its PEM private key");
        String cert = rules.get(TlsSettings.CERT_VARIABLE);
        String key = rules.get(TlsSettings.KEY_VARIABLE);
        if (cert == null || key == null) {
            return;
        }
        try {
            PemFiles.load(TlsSettings.CERT_VARIABLE, Path.of(cert), TlsSettings.KEY_VARIABLE, Path.of(key));
        } catch (TlsFileProblem p) {
            String value = p.variable().equals(TlsSettings.CERT_VARIABLE) ? cert : key;
            String allowed = p.variable().equals(TlsSettings.CERT_VARIABLE)
                    ? "a readable, currently valid PEM certificate chain (" + p.getMessage() + ")"
                    : "a readable PEM private key of that certificate (" + p.getMessage() + ")";
            rules.problem(p.variable(), value, allowed);
        }
    }
}
