package dev.tapline.goproxy.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/**
 * goproxy's settings as the code reads them. Each key, its variable, default and rule are declared in
 * {@link GoproxySettings}, which feeds the key ({@link GoproxyConfigSources}); {@link GoproxyEnv} checks the
 * variables before Quarkus starts.
 */
@ConfigMapping(prefix = "goproxy")
public interface GoproxyConfig {

    /** PROXY_TYPE: "reverse", "forward" or "dual" (both in one process). */
    String proxyType();

    /** PROXY_IN_PORT: where clients connect (0 = any free port, for tests). */
    int inPort();

    /** PROXY_OUT_PORT: where the app connects to the forward proxy (forward and dual; 0 = any free port). */
    int outPort();

    /** PROXY_OUT_BIND: the forward proxy's address; loopback so that it is not an open proxy. */
    String outBind();

    /** PROXY_PROTOCOL: what the forward proxy speaks, "http" or "socks" ("tcp:http", "tcp:socks" in dual). */
    Optional<String> proxyProtocol();

    /** REVERSE_PROXY_HOST: the app's host (reverse and dual). */
    Optional<String> reverseProxyHost();

    /** REVERSE_PROXY_PORT: the app's port (reverse and dual). */
    Optional<Integer> reverseProxyPort();

    /** APP_LABEL: the app's name, shared by its instances. */
    String appLabel();

    /** APP_POD_NAME: this instance; also the proxy id. Default: the host name. */
    Optional<String> appPodName();

    /** APP_POD_NAMESPACE: the Kubernetes namespace, if any. */
    Optional<String> appPodNamespace();

    /** FORWARDER_ADDR: the forwarder's gRPC address, host:port. */
    String forwarderAddr();

    /** FORWARDER_TOKEN: sent as "authorization: Bearer &lt;token&gt;" on every forwarder call when set. */
    Optional<String> forwarderToken();

    /** IDLE_TIMEOUT: a connection with no bytes either way for this long is closed (0 = never). */
    Duration idleTimeout();

    /** DRAIN_TIMEOUT: on SIGTERM, how long open connections may go on before they are closed. */
    Duration drainTimeout();

    /** Capture settings. */
    Capture capture();

    /** TLS settings (TLS_IN_UNWRAP and the app side). */
    Tls tls();

    interface Tls {
        /** TLS_IN_UNWRAP: end the clients' TLS with the app's certificate and capture what is inside. */
        boolean inUnwrap();

        /** TLS_IN_PUBLIC_KEY: path of the PEM certificate chain clients are shown (required with TLS_IN_UNWRAP). */
        Optional<String> inPublicKey();

        /** TLS_IN_PRIVATE_KEY: path of its PEM private key, PKCS#8, PKCS#1 (RSA) or SEC1 (EC). */
        Optional<String> inPrivateKey();

        /** REVERSE_PROXY_TLS: with TLS_IN_UNWRAP, talk TLS to the app (false: plaintext, TLS offload). */
        boolean reverseProxyTls();

        /** REVERSE_PROXY_CA: PEM bundle; when set, the app's chain and host name are verified against it. */
        Optional<String> reverseProxyCa();

        /** TLS_HANDSHAKE_TIMEOUT: a client TLS handshake not finished within this is closed. */
        Duration handshakeTimeout();

        /** TLS_OUT_UNWRAP: in the forward proxy's tunnels, answer the app's TLS with minted leaves and capture. */
        boolean outUnwrap();

        /** TLS_CERT_DIR: the folder of the CA that signs the minted leaves (tls.crt, tls.key); created if absent. */
        String certDir();

        /** TLS_OUT_CA: PEM bundle trusted for upstreams besides the system's trust store. */
        Optional<String> outCa();

        /** TLS_MUTUAL_PUBLIC_KEY: PEM client certificate chain for upstreams that ask for one. */
        Optional<String> mutualPublicKey();

        /** TLS_MUTUAL_PRIVATE_KEY: its PEM private key. */
        Optional<String> mutualPrivateKey();
    }

    interface Capture {
        /** CAPTURE_ENABLED: false relays without decoding or shipping anything. */
        boolean enabled();

        /** CAPTURE_BODY_BYTES: body bytes kept per message (the rest is counted, not kept). */
        MemorySize bodyBytes();

        /** CAPTURE_H2_CONNECTION_BYTES: most memory the HTTP/2 decoder holds for one connection. */
        MemorySize h2ConnectionBytes();

        /** CAPTURE_QUEUE_BYTES: captures waiting for the forwarder may use at most this much memory. */
        MemorySize queueBytes();

        /**
         * CAPTURE_BATCH_RECORDS: at most this many captures per upload batch. 4096 rather than 1024: each batch has
         * a fixed cost on goproxy's link thread (framing it for gRPC, its HTTP/2 frames, the forwarder's window
         * updates and ack) and on the forwarder (a commit when it keeps up), so with small captures fewer, larger
         * batches cost less per capture (docs/benchmarks/2026-12-04-upload-4.md). CAPTURE_BATCH_DELAY still bounds how
         * late the forwarder sees a capture, and memory is bounded by CAPTURE_BATCH_BYTES, not by this.
         */
        int batchRecords();

        /**
         * CAPTURE_BATCH_BYTES: at most this many bytes per upload batch (a larger capture goes alone). 2M holds
         * 4096 small captures (about 360 bytes each), and a batch stays within an eighth of the forwarder's 16 MiB
         * pool chunks (a message past a quarter of one would make Netty free the chunk after each message: the
         * forwarder's UploadServerAllocator).
         */
        MemorySize batchBytes();

        /** CAPTURE_BATCH_DELAY: a partly filled batch is sent after this long. */
        Duration batchDelay();

        /** CAPTURE_MAX_UNACKED_BATCHES: batches in flight on the upload stream before waiting for acks. */
        int maxUnackedBatches();

        /** FLUSH_TIMEOUT: on SIGTERM, how long queued captures may take to reach the forwarder. */
        Duration flushTimeout();

        /** DROP_LOG_INTERVAL: drops are logged at most once per this interval, with their count. */
        Duration dropLogInterval();
    }
}
