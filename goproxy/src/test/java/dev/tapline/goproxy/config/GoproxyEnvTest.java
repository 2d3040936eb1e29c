package dev.tapline.goproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.ConfigProblem;

class GoproxyEnvTest {
    /** The manual's reverse-proxy settings, all valid (other config tests start from these). */
    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("PROXY_TYPE", "reverse");
        env.put("PROXY_IN_PORT", "4143");
        env.put("REVERSE_PROXY_HOST", "app.local");
        env.put("REVERSE_PROXY_PORT", "5000");
        env.put("APP_LABEL", "shop");
        env.put("FORWARDER_ADDR", "forwarder:8888");
        return env;
    }

    @Test
    void theManualsSettingsAreAccepted() {
        assertThat(GoproxyEnv.check(valid())).isEmpty();
    }

    @Test
    void transparentAndUnknownProxyTypesAreRefused() {
        Map<String, String> env = valid();
        env.put("PROXY_TYPE", "transparent");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe)
                .containsExactly("PROXY_TYPE=\"transparent\" is not valid: allowed is reverse, forward or dual (transparent"
                        + " is not supported: it needs the pod's traffic redirected by iptables; use forward with the app's"
                        + " HTTP_PROXY/HTTPS_PROXY instead)");
        env.put("PROXY_TYPE", "sideways");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::allowed).containsExactly("reverse, forward or dual");
    }

    @Test
    void forwardNeedsNoAppButItsOwnSettingsAreChecked() {
        Map<String, String> env = valid();
        env.remove("REVERSE_PROXY_HOST");
        env.remove("REVERSE_PROXY_PORT");
        env.put("PROXY_TYPE", "forward");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("PROXY_PROTOCOL", "socks");
        env.put("PROXY_OUT_PORT", "4140");
        env.put("PROXY_OUT_BIND", "::1");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("PROXY_PROTOCOL", "tcp:socks");
        env.put("PROXY_OUT_PORT", "70000");
        env.put("PROXY_OUT_BIND", "my-host");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable)
                .containsExactly("PROXY_OUT_PORT", "PROXY_OUT_BIND", "PROXY_PROTOCOL"); // in declaration order
        assertThat(GoproxyEnv.check(env).get(2).allowed()).isEqualTo("http or socks with PROXY_TYPE=forward");
    }

    @Test
    void dualNeedsTheAppAndATcpColonProtocol() {
        Map<String, String> env = valid();
        env.put("PROXY_TYPE", "dual");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("PROXY_PROTOCOL", "tcp:socks");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("PROXY_PROTOCOL", "http");
        env.remove("REVERSE_PROXY_PORT");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe).containsExactly(
                "PROXY_PROTOCOL=\"http\" is not valid: allowed is tcp:http or tcp:socks with PROXY_TYPE=dual (reverse side"
                        + " : forward side)",
                "REVERSE_PROXY_PORT is not set: it is required (the port of the app goproxy relays to, 1-65535)");
        env.put("PROXY_TYPE", "reverse");
        env.put("REVERSE_PROXY_PORT", "5000");
        env.put("PROXY_PROTOCOL", "socks");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable).containsExactly("PROXY_PROTOCOL");
    }

    @Test
    void missingRequiredAndBadValuesAreEachNamed() {
        Map<String, String> env = valid();
        env.remove("REVERSE_PROXY_HOST");
        env.put("REVERSE_PROXY_PORT", "0");
        env.put("CAPTURE_QUEUE_BYTES", "lots");
        env.put("IDLE_TIMEOUT", "-5s");
        env.put("LOG_LEVEL", "loud");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable)
                .containsExactly("REVERSE_PROXY_HOST", "REVERSE_PROXY_PORT", "LOG_LEVEL", "IDLE_TIMEOUT", "CAPTURE_QUEUE_BYTES");
    }

    @Test
    void bodyAndBatchCapsMustLetEveryBatchFitInOneUpload() {
        Map<String, String> env = valid();
        env.put("CAPTURE_BODY_BYTES", "4M");
        env.put("CAPTURE_BATCH_BYTES", "4M");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("CAPTURE_BODY_BYTES", "10M");
        env.put("CAPTURE_BATCH_BYTES", "4097K");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe).containsExactly(
                "CAPTURE_BODY_BYTES=\"10M\" is not valid: allowed is a size in bytes of at most 4194304 (a batch of captures"
                        + " must fit in the forwarder's 16 MiB upload message)",
                "CAPTURE_BATCH_BYTES=\"4097K\" is not valid: allowed is a size in bytes of at most 4194304 (a batch of"
                        + " captures must fit in the forwarder's 16 MiB upload message)");
    }

    @Test
    void theHttp2DecodersConnectionCapIsAtLeast64K() {
        Map<String, String> env = valid();
        env.put("CAPTURE_H2_CONNECTION_BYTES", "64K");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("CAPTURE_H2_CONNECTION_BYTES", "1000");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe).containsExactly(
                "CAPTURE_H2_CONNECTION_BYTES=\"1000\" is not valid: allowed is a size in bytes of at least 65536 (below"
                        + " 64K one stream's headers may not fit)");
    }

    @Test
    void anIdentityTheForwarderWouldRefuseStopsTheStart() {
        Map<String, String> env = valid();
        env.put("APP_POD_NAME", "shop 1");
        env.put("APP_LABEL", "l".repeat(257));
        env.put("REVERSE_PROXY_HOST", "h".repeat(251));
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::allowed).containsExactly(
                "at most 128 characters without spaces or control characters (it is the proxy's id)",
                "at most 256 characters",
                "at most 250 characters");
        env.put("APP_POD_NAME", "p".repeat(128));
        env.put("APP_LABEL", "l".repeat(256));
        env.put("REVERSE_PROXY_HOST", "h".repeat(250));
        assertThat(GoproxyEnv.check(env)).isEmpty();
    }

    @Test
    void aPortInTheAppHostAndAnEmptyCaptureQueueAreRefusedWithTheFix() {
        Map<String, String> env = valid();
        env.put("REVERSE_PROXY_HOST", "app:5000");
        env.put("CAPTURE_QUEUE_BYTES", "0");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe).containsExactly(
                "REVERSE_PROXY_HOST=\"app:5000\" is not valid: allowed is a host name or IP address without a port"
                        + " (the port goes in REVERSE_PROXY_PORT)",
                "CAPTURE_QUEUE_BYTES=\"0\" is not valid: allowed is a size in bytes of at least 1 (with 0 every capture"
                        + " is dropped; to capture nothing, set CAPTURE_ENABLED=false)");
    }

    @Test
    void tlsOutUnwrapsFilesAreJudgedOnlyWhenItIsOnAndOnlyForAForwardProxy(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Map<String, String> env = valid();
        env.put("TLS_CERT_DIR", dir.resolve("a-file/ca").toString());
        env.put("TLS_OUT_CA", dir.resolve("missing.pem").toString());
        env.put("TLS_MUTUAL_PUBLIC_KEY", dir.resolve("missing.crt").toString());
        Files.writeString(dir.resolve("a-file"), "x");
        assertThat(GoproxyEnv.check(env)).as("off: not even looked at").isEmpty();

        env.put("TLS_OUT_UNWRAP", "true");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable).containsExactly("TLS_OUT_UNWRAP");
        assertThat(GoproxyEnv.check(env).get(0).allowed()).startsWith("false with PROXY_TYPE=reverse");

        env.put("PROXY_TYPE", "dual");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable)
                .containsExactly("TLS_CERT_DIR", "TLS_OUT_CA", "TLS_MUTUAL_PRIVATE_KEY");
        assertThat(GoproxyEnv.check(env).get(0).allowed()).contains("cannot be created there");

        env.put("TLS_CERT_DIR", dir.resolve("new-ca").toString());
        env.remove("TLS_OUT_CA");
        env.remove("TLS_MUTUAL_PUBLIC_KEY");
        assertThat(GoproxyEnv.check(env)).as("a CA to be created, the system's trust store").isEmpty();
        assertThat(dir.resolve("new-ca")).as("the check writes nothing").doesNotExist();
    }
}
