package dev.tapline.goproxy.config;

import static dev.tapline.common.config.Rule.bool;
import static dev.tapline.common.config.Rule.duration;
import static dev.tapline.common.config.Rule.hostName;
import static dev.tapline.common.config.Rule.hostPort;
import static dev.tapline.common.config.Rule.intRange;
import static dev.tapline.common.config.Rule.oneOf;
import static dev.tapline.common.config.Rule.port;
import static dev.tapline.common.config.Rule.required;
import static dev.tapline.common.config.Rule.sizeAtLeast;
import static dev.tapline.common.config.Rule.sizeAtMost;

import java.util.Arrays;
import java.util.List;

import dev.tapline.common.config.Rule;
import dev.tapline.common.config.Setting;

/**
 * Every goproxy setting, declared once: variable, key, default, rule, README's line. In README's order; the start
 * check reports problems in this order too.
 */
public enum GoproxySettings {
    PROXY_TYPE(Setting.of("PROXY_TYPE", "goproxy.proxy-type", "reverse", GoproxyEnv::proxyType,
            "`reverse` (clients calling the app), `forward` (the app calling its dependencies through goproxy) or"
                    + " `dual` (both in one process); `transparent` is refused (it needs iptables redirection)")),
    PROXY_IN_PORT(Setting.of("PROXY_IN_PORT", "goproxy.in-port", "4143", port(),
            "port clients connect to (`reverse`, `dual`)")),
    PROXY_OUT_PORT(Setting.of("PROXY_OUT_PORT", "goproxy.out-port", "4140", port(),
            "port of the forward proxy the app uses as `HTTP_PROXY`/`HTTPS_PROXY` or SOCKS proxy (`forward`,"
                    + " `dual`)")),
    PROXY_OUT_BIND(Setting.of("PROXY_OUT_BIND", "goproxy.out-bind", "127.0.0.1", GoproxyEnv::bindAddress,
            "IP address the forward proxy listens on; loopback so that it is not an open proxy (`0.0.0.0` logs a"
                    + " WARN)")),
    PROXY_PROTOCOL(Setting.without("PROXY_PROTOCOL", "goproxy.proxy-protocol", "`http` (`forward`), `tcp:http`"
            + " (`dual`)", GoproxyEnv::proxyProtocol, "what the forward proxy speaks: `http` (absolute URLs and"
                    + " `CONNECT`) or `socks` (SOCKS4, 4a, 5 without authentication); in `dual` written `tcp:http` or"
                    + " `tcp:socks` (reverse side : forward side); `reverse` takes only `tcp`")),
    REVERSE_PROXY_HOST(Setting.without("REVERSE_PROXY_HOST", "goproxy.reverse-proxy-host", "required (`reverse`,"
            + " `dual`)", GoproxyEnv.requiredUnlessForward("the host of the app goproxy relays to")
                    .and(hostName("REVERSE_PROXY_PORT")),
            "host of the app goproxy relays to, without the port (`app:5000` is refused); at most 250 characters")),
    REVERSE_PROXY_PORT(Setting.without("REVERSE_PROXY_PORT", "goproxy.reverse-proxy-port", "required (`reverse`,"
            + " `dual`)", GoproxyEnv.requiredUnlessForward("the port of the app goproxy relays to, 1-65535")
                    .and(port()), "port of the app")),
    APP_LABEL(Setting.without("APP_LABEL", "goproxy.app-label", "required", required("the application's name"),
            "the app's name, shared by its instances (at most 256 characters)")),
    APP_POD_NAME(Setting.without("APP_POD_NAME", "goproxy.app-pod-name", "the host name", Rule.ANY,
            "this instance; also the proxy id (at most 128 characters, no spaces)")),
    APP_POD_NAMESPACE(Setting.without("APP_POD_NAMESPACE", "goproxy.app-pod-namespace", "empty", Rule.ANY,
            "Kubernetes namespace (at most 256 characters)")),
    FORWARDER_ADDR(Setting.without("FORWARDER_ADDR", "goproxy.forwarder-addr", "required",
            required("the forwarder's host:port").and(hostPort()), "forwarder's gRPC address, `host:port`")),
    FORWARDER_TOKEN(Setting.without("FORWARDER_TOKEN", "goproxy.forwarder-token", "unset", Rule.ANY,
            "sent as `authorization: Bearer <token>` on every forwarder call")),
    LOG_LEVEL(Setting.of("LOG_LEVEL", "quarkus.log.category.\"dev.tapline\".level", "info",
            oneOf("debug", "info", "warn", "error"), "`debug`, `info`, `warn`, `error` for goproxy's own lines"
                    + " (`debug` shows the per-connection lines); Quarkus's and libraries' lines stay at `info`")),
    METRICS_HTTP_PORT(Setting.of("METRICS_HTTP_PORT", "quarkus.http.port", "4145", port(),
            "HTTP port of `/q/health/*` and `/q/metrics`")),
    IDLE_TIMEOUT(Setting.of("IDLE_TIMEOUT", "goproxy.idle-timeout", "5m", duration(),
            "a connection idle both ways this long is closed (`0` = never)")),
    DRAIN_TIMEOUT(Setting.of("DRAIN_TIMEOUT", "goproxy.drain-timeout", "15s", duration(),
            "on SIGTERM, how long open connections may finish")),
    CAPTURE_ENABLED(Setting.of("CAPTURE_ENABLED", "goproxy.capture.enabled", "true", bool(),
            "`false` relays without decoding or shipping")),
    CAPTURE_BODY_BYTES(Setting.of("CAPTURE_BODY_BYTES", "goproxy.capture.body-bytes", "64K",
            sizeAtMost(GoproxyEnv.MAX_BODY_OR_BATCH_BYTES, GoproxyEnv.UPLOAD_FIT),
            "body bytes kept per message, at most `4M`; the real size and a truncated flag are recorded")),
    CAPTURE_H2_CONNECTION_BYTES(Setting.of("CAPTURE_H2_CONNECTION_BYTES", "goproxy.capture.h2-connection-bytes", "16M",
            sizeAtLeast(64 * 1024, "below 64K one stream's headers may not fit"),
            "memory the HTTP/2 decoder may hold per connection (kept bodies and headers of its open streams, a frame"
                    + " cut by a read), at least `64K`; beyond it that connection's decoding stops and is counted"
                    + " (`goproxy_decoder_memory_capped_total`), its bytes are still relayed")),
    CAPTURE_QUEUE_BYTES(Setting.of("CAPTURE_QUEUE_BYTES", "goproxy.capture.queue-bytes", "64M",
            sizeAtLeast(1, "with 0 every capture is dropped; to capture nothing, set CAPTURE_ENABLED=false"),
            "memory for captures waiting for the forwarder; beyond it captures are dropped and counted (`0` is"
                    + " refused: to capture nothing, `CAPTURE_ENABLED=false`)")),
    CAPTURE_BATCH_RECORDS(Setting.of("CAPTURE_BATCH_RECORDS", "goproxy.capture.batch-records", "4096",
            intRange(1, 10_000), "captures per upload batch, at most")),
    CAPTURE_BATCH_BYTES(Setting.of("CAPTURE_BATCH_BYTES", "goproxy.capture.batch-bytes", "2M",
            sizeAtMost(GoproxyEnv.MAX_BODY_OR_BATCH_BYTES, GoproxyEnv.UPLOAD_FIT),
            "bytes per upload batch, at most (a larger capture goes alone); at most `4M` (with the body cap, every batch fits in the forwarder's"
                    + " 16 MiB upload message)")),
    CAPTURE_BATCH_DELAY(Setting.of("CAPTURE_BATCH_DELAY", "goproxy.capture.batch-delay", "200ms", duration(),
            "a partly filled batch is sent once it is this old, at most a quarter of it later (10ms for short"
                    + " delays)")),
    CAPTURE_MAX_UNACKED_BATCHES(Setting.of("CAPTURE_MAX_UNACKED_BATCHES", "goproxy.capture.max-unacked-batches",
            "8", intRange(1, 1024), "batches in flight before waiting for acks")),
    FLUSH_TIMEOUT(Setting.of("FLUSH_TIMEOUT", "goproxy.capture.flush-timeout", "5s", duration(),
            "on SIGTERM, how long queued captures may take to reach the forwarder")),
    DROP_LOG_INTERVAL(Setting.of("DROP_LOG_INTERVAL", "goproxy.capture.drop-log-interval", "10s", duration(),
            "dropped captures are logged at most once per interval, with their count")),
    TLS_IN_UNWRAP(Setting.of("TLS_IN_UNWRAP", "goproxy.tls.in-unwrap", "false", bool(),
            "`true`: end the clients' TLS with the app's certificate and capture the plaintext (same port; plaintext"
                    + " still works)")),
    TLS_IN_PUBLIC_KEY(Setting.without("TLS_IN_PUBLIC_KEY", "goproxy.tls.in-public-key", "required with unwrap",
            TlsEnv::certificateAndKey, "path of the PEM certificate chain clients are shown; reloaded when it changes")),
    TLS_IN_PRIVATE_KEY(Setting.without("TLS_IN_PRIVATE_KEY", "goproxy.tls.in-private-key", "required with unwrap",
            Rule.ANY, "path of its PEM private key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC)")),
    REVERSE_PROXY_TLS(Setting.of("REVERSE_PROXY_TLS", "goproxy.tls.reverse-proxy-tls", "true", bool(),
            "with unwrap: TLS to the app (client's SNI passed on); `false`: plaintext to the app (offload)")),
    REVERSE_PROXY_CA(Setting.without("REVERSE_PROXY_CA", "goproxy.tls.reverse-proxy-ca", "unset",
            TlsEnv::caBundle, "PEM bundle; when set the app's chain and host name (client's SNI, else"
                    + " REVERSE_PROXY_HOST) are verified; unset: not verified")),
    TLS_HANDSHAKE_TIMEOUT(Setting.of("TLS_HANDSHAKE_TIMEOUT", "goproxy.tls.handshake-timeout", "10s",
            duration().and(TlsEnv::nonZero), "a TLS handshake not finished in this long is closed and counted")),
    TLS_OUT_UNWRAP(Setting.of("TLS_OUT_UNWRAP", "goproxy.tls.out-unwrap", "false", bool().and(TlsEnv::outUnwrapMode),
            "`true` (`forward`, `dual`): inside the app's tunnels, answer its TLS with a certificate minted for the"
                    + " host (signed by the CA in `TLS_CERT_DIR`), talk TLS to the real host and capture the"
                    + " plaintext")),
    TLS_CERT_DIR(Setting.of("TLS_CERT_DIR", "goproxy.tls.cert-dir", "tls", TlsEnv::certDir,
            "folder of the CA that signs those certificates, `tls.crt` + `tls.key` (a Kubernetes TLS secret); when"
                    + " both are absent goproxy creates one there and logs its path and SHA-256 fingerprint")
            .documentedDefault("`tls` (in the working directory, `/home/tapline` in the image)")),
    TLS_OUT_CA(Setting.without("TLS_OUT_CA", "goproxy.tls.out-ca", "unset", TlsEnv::outCaBundle,
            "PEM bundle trusted for upstream hosts besides the system's trust store (chain and host name are always"
                    + " verified)")),
    TLS_MUTUAL_PUBLIC_KEY(Setting.without("TLS_MUTUAL_PUBLIC_KEY", "goproxy.tls.mutual-public-key", "unset",
            TlsEnv::mutualCertificateAndKey, "path of the PEM client certificate chain shown to upstream hosts that"
                    + " ask for one (`TLS_OUT_UNWRAP`)")),
    TLS_MUTUAL_PRIVATE_KEY(Setting.without("TLS_MUTUAL_PRIVATE_KEY", "goproxy.tls.mutual-private-key", "unset",
            Rule.ANY, "path of its PEM private key"));

    public static final List<Setting> ALL = Arrays.stream(values()).map(GoproxySettings::setting).toList();

    private final Setting setting;

    GoproxySettings(Setting setting) {
        this.setting = setting;
    }

    public Setting setting() {
        return setting;
    }
}
