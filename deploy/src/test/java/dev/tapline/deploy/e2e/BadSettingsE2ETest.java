package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Settings that would break the product at run time are refused at start by the packaged apps, as an operator
 * meets them: the process exits non-zero and its output names each bad setting and what is allowed, before
 * anything listens. (The rules themselves are unit-tested; this checks that the real processes act on them.)
 */
class BadSettingsE2ETest {

    /** Starts the packaged app, which must exit with {@code status} on its own; returns what it printed. */
    private static List<String> refusedStart(String app, Path jar, Map<String, String> env, int status)
            throws Exception {
        AppProcess process = AppProcess.start(app, jar, env, "-Xmx256m");
        try {
            assertThat(process.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(status);
            return process.lines();
        } finally {
            process.close();
        }
    }

    @Test
    void forwarderRefusesTuningThatWouldHangIngestBeforeAnythingListens() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            tapline.forwarderEnv.put("FORWARDER_UPLOAD_WINDOW", "0");
            tapline.forwarderEnv.put("FORWARDER_STORE_GROUP_COMMIT_RECORDS", "0");
            // used to fail the building of the gRPC service first: a stack trace, then the line, exit status 1
            tapline.forwarderEnv.put("FORWARDER_UPLOAD_PREPARE_THREADS", "0");
            List<String> lines = refusedStart("forwarder", Tapline.FORWARDER_JAR, tapline.forwarderEnv, 2);
            assertThat(lines).anyMatch(l -> l.contains("Invalid setting: forwarder.upload.window=0: allowed is 1 to 1024"));
            assertThat(lines).anyMatch(l -> l.contains(
                    "Invalid setting: forwarder.store.group-commit-records=0: allowed is 1 to 1000000"));
            assertThat(lines).anyMatch(l -> l.contains(
                    "Invalid setting: forwarder.upload.prepare-threads=0: allowed is 1 to 256"));
            assertThat(lines).noneMatch(l -> l.contains("gRPC server") || l.contains("Starting gRPC listener"));
            assertThat(lines).noneMatch(l -> l.contains("stacktrace") || l.contains("Exception"));
        }
    }

    @Test
    void forwarderRefusesATuningValueItCannotReadNamingItBeforeAnythingListens() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            // not a number: the check before the start leaves it to Quarkus, which names it
            tapline.forwarderEnv.put("FORWARDER_UPLOAD_WINDOW", "abc");
            List<String> lines = refusedStart("forwarder", Tapline.FORWARDER_JAR, tapline.forwarderEnv, 1);
            assertThat(lines).anyMatch(l -> l.contains("forwarder.upload.window") && l.contains("\"abc\""));
            assertThat(lines).noneMatch(l -> l.contains("gRPC server") || l.contains("Starting gRPC listener"));
        }
    }

    @Test
    void forwarderRefusesAGrpcDescriptorSetThatIsNotOneWithOneJsonLineBeforeAnythingListens() throws Exception {
        Path proto = Files.createTempFile("tapline-shop", ".proto");
        Files.writeString(proto, "syntax = \"proto3\";\nmessage Item { string sku = 1; }\n");
        try (Tapline tapline = new Tapline(1)) {
            tapline.forwarderEnv.put("GRPC_DESCRIPTOR_SET", proto.toString());
            List<String> lines = refusedStart("forwarder", Tapline.FORWARDER_JAR, tapline.forwarderEnv, 2);
            List<String> named = lines.stream().filter(l -> l.contains("GRPC_DESCRIPTOR_SET")).toList();
            assertThat(named).as("one line naming the variable, in: %s", lines).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(named.get(0));
            assertThat(line.findValue("variable").asText()).isEqualTo("GRPC_DESCRIPTOR_SET");
            assertThat(line.toString()).contains(proto + ": not a FileDescriptorSet");
            assertThat(lines).noneMatch(l -> l.contains("gRPC server") || l.contains("Starting gRPC listener"));
        } finally {
            Files.deleteIfExists(proto);
        }
    }

    @Test
    void goproxyRefusesABodyCapThatWouldJamUploads() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            tapline.goproxyEnv.put("CAPTURE_BODY_BYTES", "10M");
            List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
            assertThat(lines).anyMatch(l -> l.contains("CAPTURE_BODY_BYTES") && l.contains("10M")
                    && l.contains("at most 4194304"));
            assertThat(lines).noneMatch(l -> l.contains("Starting proxy listener"));
        }
    }

    @Test
    void goproxyRefusesAHostWithAPortAnIdTheForwarderWouldRefuseAndASubMillisecondTimeout() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            // each was accepted before: every connection failed, registration was retried forever, and the idle
            // timeout read as 0, "never"
            tapline.goproxyEnv.put("REVERSE_PROXY_HOST", "127.0.0.1:5000");
            tapline.goproxyEnv.put("APP_POD_NAME", "my pod");
            tapline.goproxyEnv.put("IDLE_TIMEOUT", "PT0.0005S");
            List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
            assertThat(lines).anyMatch(l -> l.contains("REVERSE_PROXY_HOST") && l.contains("without a port")
                    && l.contains("REVERSE_PROXY_PORT"));
            assertThat(lines).anyMatch(l -> l.contains("APP_POD_NAME") && l.contains("at most 128 characters"));
            assertThat(lines).anyMatch(l -> l.contains("IDLE_TIMEOUT") && l.contains("from 1ms to 36500d"));
            assertThat(lines).noneMatch(l -> l.contains("Starting proxy listener"));
        }
    }

    @Test
    void goproxyRefusesTransparentModeAndForwardSettingsItCannotUse() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            tapline.goproxyEnv.put("PROXY_TYPE", "transparent");
            tapline.goproxyEnv.put("PROXY_OUT_PORT", "0");
            tapline.goproxyEnv.put("PROXY_OUT_BIND", "everywhere");
            List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
            assertThat(lines).anyMatch(l -> l.contains("PROXY_TYPE") && l.contains("transparent is not supported"));
            assertThat(lines).anyMatch(l -> l.contains("PROXY_OUT_PORT") && l.contains("1-65535"));
            assertThat(lines).anyMatch(l -> l.contains("PROXY_OUT_BIND") && l.contains("an IP address to listen on"));
            assertThat(lines).noneMatch(l -> l.contains("Starting proxy listener") || l.contains("Starting forward proxy"));
        }
        try (Tapline tapline = new Tapline(1)) {
            tapline.goproxyEnv.put("PROXY_TYPE", "dual");
            tapline.goproxyEnv.put("PROXY_PROTOCOL", "socks"); // dual needs tcp:socks
            List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
            assertThat(lines).anyMatch(l -> l.contains("PROXY_PROTOCOL") && l.contains("tcp:http or tcp:socks"));
        }
    }

    @Test
    void goproxyRefusesHalfACaForTlsOutUnwrapAndLeavesItAsItIs() throws Exception {
        Path certDir = Files.createTempDirectory("tapline-half-ca");
        Files.writeString(certDir.resolve("tls.crt"), "somebody's CA\n");
        try (Tapline tapline = new Tapline(1)) {
            tapline.goproxyEnv.put("PROXY_TYPE", "forward");
            tapline.goproxyEnv.put("TLS_OUT_UNWRAP", "true");
            tapline.goproxyEnv.put("TLS_CERT_DIR", certDir.toString());
            List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
            assertThat(lines).anyMatch(l -> l.contains("TLS_CERT_DIR") && l.contains("tls.key is missing"));
            assertThat(lines).noneMatch(l -> l.contains("Starting forward proxy"));
        }
        assertThat(certDir.resolve("tls.key")).doesNotExist();
    }

    @Test
    void goproxyRefusesTlsUnwrapWithoutItsCertificateOrWithAKeyFileThatIsNotThere() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            tapline.goproxyEnv.put("TLS_IN_UNWRAP", "true");
            tapline.goproxyEnv.put("TLS_IN_PRIVATE_KEY", "/nowhere/tls.key");
            List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
            assertThat(lines).filteredOn(l -> l.contains("TLS_IN_PUBLIC_KEY")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("{").contains("is not set").contains("TLS_IN_UNWRAP=true"));
            assertThat(lines).noneMatch(l -> l.contains("Starting proxy listener") || l.contains("TLS unwrap on"));
        }
        try (Tapline tapline = new Tapline(1)) {
            Path cert = Files.createTempFile("tapline-e2e", ".pem");
            try {
                // a file that is there but no certificate: the check reads it, and names it with the variable
                Files.writeString(cert, "not a certificate\n");
                tapline.goproxyEnv.put("TLS_IN_UNWRAP", "true");
                tapline.goproxyEnv.put("TLS_IN_PUBLIC_KEY", cert.toString());
                tapline.goproxyEnv.put("TLS_IN_PRIVATE_KEY", "/nowhere/tls.key");
                List<String> lines = refusedStart("goproxy", Tapline.GOPROXY_JAR, tapline.goproxyEnv, 2);
                assertThat(lines).filteredOn(l -> l.contains("TLS_IN_PUBLIC_KEY")).singleElement()
                        .satisfies(l -> assertThat(l).startsWith("{").contains(cert.toString()).contains("PEM certificate"));
                assertThat(lines).noneMatch(l -> l.contains("Starting proxy listener"));
            } finally {
                Files.deleteIfExists(cert);
            }
        }
    }

    @Test
    void aTokenTheForwarderRefusesIsLoggedAsARefusalNamingTheSetting() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            tapline.forwarderEnv.put("FORWARDER_TOKEN", "the-right-token");
            tapline.goproxyEnv.put("FORWARDER_TOKEN", "a-wrong-token");
            tapline.startForwarder().startGoproxy("-Xmx256m");
            tapline.goproxy.awaitLine(l -> l.contains("Forwarder refused to register this proxy"), Duration.ofSeconds(30));
            String refusal = tapline.goproxy.lines().stream()
                    .filter(l -> l.contains("Forwarder refused to register this proxy")).findFirst().orElseThrow();
            assertThat(refusal).contains("\"info\":\"ERROR\"").contains("UNAUTHENTICATED")
                    .contains("FORWARDER_TOKEN must be the forwarder's FORWARDER_TOKEN").doesNotContain("a-wrong-token");
            assertThat(tapline.goproxy.lines()).noneMatch(l -> l.contains("Could not reach forwarder"));
            tapline.forwarder.awaitLine(l -> l.contains("Refused gRPC call"), Duration.ofSeconds(10));
        }
    }
}
