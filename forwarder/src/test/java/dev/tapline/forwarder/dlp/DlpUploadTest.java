package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.testing.Captures.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.forwarder.metrics.ForwarderMetrics;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.DlpProfile;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** With WITH_DLP=true, secrets never reach the store: what is stored holds REDACTED-&lt;sha256&gt; in their place. */
@QuarkusTest
@TestProfile(DlpProfile.class)
class DlpUploadTest {

    @GrpcClient("forwarder")
    Channel channel;
    @Inject
    ForwarderMetrics metrics;

    private static String redacted(String secret) throws Exception {
        return "REDACTED-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void authorizationHeaderPasswordInJsonAndTokenInQueryAreStoredRedacted() throws Exception {
        String proxy = Captures.unique("pod");
        String id = Captures.unique("dlp");
        Capture.Builder c = Captures.http(id, proxy, "/login?token=abc123&lang=en");
        c.getHttpBuilder().getRequestBuilder().setMethod("POST")
                .addHeaders(header("Authorization", "Bearer eyJhbGciOi.secret"))
                .addHeaders(header("Content-Type", "application/json"))
                .setBody(ByteString.copyFromUtf8("{\"user\":\"ann\",\"password\":\"hunter2\"}")).setBodySize(36);
        long redactionsBefore = metrics.snapshot().redactions();

        UploadClient.send(ForwarderGrpc.newStub(channel), Captures.batch(1, proxy, List.of(c.build())));

        JsonPath stored = given().get("/api/v1/captures/" + id).then().statusCode(200)
                .body("http.req.headers.Authorization", contains(redacted("Bearer eyJhbGciOi.secret")))
                .body("http.req.headers.Accept", contains("application/json"))
                .body("http.req.url", equalTo("/login?token=" + redacted("abc123") + "&lang=en"))
                .extract().jsonPath();
        String body = new String(Base64.getDecoder().decode(stored.getString("http.req.bodyBase64")),
                StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"user\":\"ann\",\"password\":\"" + redacted("hunter2") + "\"}");
        assertThat(metrics.snapshot().redactions() - redactionsBefore).isEqualTo(3);
        String har = given().get("/api/v1/captures.har").asString();
        assertThat(har).doesNotContain("hunter2", "abc123", "eyJhbGciOi.secret");
    }
}
