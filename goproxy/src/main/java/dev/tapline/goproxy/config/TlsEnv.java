package dev.tapline.goproxy.config;

import java.nio.file.Path;
import java.time.Duration;

import dev.tapline.common.config.EnvRules;
import dev.tapline.goproxy.tls.PemFiles;
import dev.tapline.goproxy.tls.TlsFileProblem;
import dev.tapline.goproxy.tls.TlsSettings;

/**
 * The TLS settings' start-time rules (declared in {@link GoproxySettings}). With TLS_IN_UNWRAP the files are read and judged here, before anything
 * listens: missing, unreadable, not PEM, expired or not valid yet, a key that is not the certificate's.
 */
final class TlsEnv {

    private TlsEnv() {
    }

    /** TLS_HANDSHAKE_TIMEOUT: 0 would mean a stalled handshake never ends. */
    static void nonZero(EnvRules rules, String variable) {
        String timeout = rules.get(variable);
        Duration d = timeout == null ? null : EnvRules.durationOf(timeout);
        if (d != null && d.isZero()) {
            rules.problem(variable, timeout, "a duration from 1ms (a stalled handshake must end)");
        }
    }

    /** REVERSE_PROXY_CA: when set, a readable PEM file with at least one certificate. */
    static void caBundle(EnvRules rules, String variable) {
        String ca = rules.get(variable);
        if (ca != null) {
            try {
                PemFiles.certificates(variable, Path.of(ca));
            } catch (TlsFileProblem p) {
                rules.problem(p.variable(), ca, "a readable PEM CA bundle (" + p.getMessage() + ")");
            }
        }
    }

    /** With TLS_IN_UNWRAP=true: both files there, readable, PEM, valid now, and the key is the certificate's. */
    static void certificateAndKey(EnvRules rules, String variable) {
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
