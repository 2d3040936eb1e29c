package dev.tapline.goproxy.config;

import java.nio.file.Path;
import java.time.Duration;

import dev.tapline.common.config.EnvRules;
import dev.tapline.goproxy.tls.CertificateAuthority;
import dev.tapline.goproxy.tls.PemFiles;
import dev.tapline.goproxy.tls.TlsFileProblem;
import dev.tapline.goproxy.tls.TlsOutSettings;
import dev.tapline.goproxy.tls.TlsSettings;

/**
 * The TLS settings' start-time rules (declared in {@link GoproxySettings}). With TLS_IN_UNWRAP or TLS_OUT_UNWRAP
 * their files are read and judged here, before anything listens: missing, unreadable, not PEM, expired or not valid
 * yet, a key that is not the certificate's. With an unwrap off, its files are not even looked at (start time).
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
        pair(rules, TlsSettings.CERT_VARIABLE, cert, TlsSettings.KEY_VARIABLE, key);
    }

    /** A certificate chain and its key: both readable PEM, valid now, the key the certificate's. */
    private static void pair(EnvRules rules, String certVariable, String cert, String keyVariable, String key) {
        try {
            PemFiles.load(certVariable, Path.of(cert), keyVariable, Path.of(key));
        } catch (TlsFileProblem p) {
            String value = p.variable().equals(certVariable) ? cert : key;
            String allowed = p.variable().equals(certVariable)
                    ? "a readable, currently valid PEM certificate chain (" + p.getMessage() + ")"
                    : "a readable PEM private key of that certificate (" + p.getMessage() + ")";
            rules.problem(p.variable(), value, allowed);
        }
    }

    /** TLS_OUT_UNWRAP: only a forward proxy has tunnels to unwrap. */
    static void outUnwrapMode(EnvRules rules, String variable) {
        if ("true".equalsIgnoreCase(rules.get(variable)) && reverseOnly(rules)) {
            rules.problem(variable, rules.get(variable), "false with PROXY_TYPE=reverse (TLS_OUT_UNWRAP unwraps the"
                    + " forward proxy's tunnels: PROXY_TYPE forward or dual; TLS_IN_UNWRAP is the reverse side's)");
        }
    }

    /** TLS_CERT_DIR with TLS_OUT_UNWRAP=true: a usable CA (both files), or neither file and a folder to make one in. */
    static void certDir(EnvRules rules, String variable) {
        if (!outUnwrap(rules)) {
            return;
        }
        String dir = rules.get(variable) == null ? GoproxySettings.TLS_CERT_DIR.setting().defaultValue() : rules.get(variable);
        try {
            CertificateAuthority.check(Path.of(dir));
        } catch (TlsFileProblem p) {
            rules.problem(variable, dir, "a folder with a CA as tls.crt and tls.key (PEM, the key the certificate's),"
                    + " or without either so that goproxy creates one (" + p.getMessage() + ")");
        }
    }

    /** TLS_OUT_CA with TLS_OUT_UNWRAP=true: when set, a readable PEM bundle. */
    static void outCaBundle(EnvRules rules, String variable) {
        if (outUnwrap(rules)) {
            caBundle(rules, variable);
        }
    }

    /** TLS_MUTUAL_PUBLIC_KEY and _PRIVATE_KEY with TLS_OUT_UNWRAP=true: both or neither; a valid pair. */
    static void mutualCertificateAndKey(EnvRules rules, String variable) {
        if (!outUnwrap(rules)) {
            return;
        }
        String cert = rules.get(TlsOutSettings.MUTUAL_CERT_VARIABLE);
        String key = rules.get(TlsOutSettings.MUTUAL_KEY_VARIABLE);
        if (cert == null && key == null) {
            return;
        }
        rules.required(TlsOutSettings.MUTUAL_CERT_VARIABLE, "with TLS_MUTUAL_PRIVATE_KEY: path of its PEM certificate chain");
        rules.required(TlsOutSettings.MUTUAL_KEY_VARIABLE, "with TLS_MUTUAL_PUBLIC_KEY: path of its PEM private key");
        if (cert != null && key != null) {
            pair(rules, TlsOutSettings.MUTUAL_CERT_VARIABLE, cert, TlsOutSettings.MUTUAL_KEY_VARIABLE, key);
        }
    }

    /** TLS_OUT_UNWRAP=true on a forward proxy: its files are judged (refused on a reverse one, see above). */
    private static boolean outUnwrap(EnvRules rules) {
        return "true".equalsIgnoreCase(rules.get("TLS_OUT_UNWRAP")) && !reverseOnly(rules);
    }

    private static boolean reverseOnly(EnvRules rules) {
        String type = rules.get("PROXY_TYPE");
        return type == null || type.equalsIgnoreCase("reverse");
    }
}
