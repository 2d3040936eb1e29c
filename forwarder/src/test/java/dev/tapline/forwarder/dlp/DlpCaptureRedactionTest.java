package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.testing.Captures.header;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.forwarder.testing.Captures;

class DlpCaptureRedactionTest {
    private final DlpCaptureRedaction dlp = DlpCaptureRedaction.load("standard");

    @Test
    void aRecordWithoutSecretsIsKeptAsTheSameInstance() {
        Capture clean = Captures.http("id", "pod", "/orders?page=2").build();

        assertThat(dlp.apply(clean)).isSameAs(clean);
        Capture connection = Captures.connection("c", "pod").build();
        assertThat(dlp.apply(connection)).isSameAs(connection);
    }

    @Test
    void secretsAreReplacedWhereverTheySitAndTheRestIsKept() {
        Capture.Builder c = Captures.http("id", "pod", "/x?access_token=t0k");
        c.getHttpBuilder().getRequestBuilder().addTrailers(header("X-Api-Key", "k1"));
        c.getHttpBuilder().getResponseBuilder().addHeaders(header("Set-Cookie", "sid=1"))
                .setBody(ByteString.copyFromUtf8("{\"refresh_token\":\"r1\",\"n\":1}")).setBodySize(29);
        c.getHttpBuilder().addInterimResponses(InterimResponse.newBuilder().setStatusCode(103)
                .addHeaders(header("Cookie", "a=b")));

        Capture out = dlp.apply(c.build());

        assertThat(out.getHttp().getRequest().getTarget()).startsWith("/x?access_token=REDACTED-");
        assertThat(out.getHttp().getRequest().getTrailers(0).getValue()).startsWith("REDACTED-");
        assertThat(out.getHttp().getRequest().getHeaders(0).getValue()).isEqualTo("shop.example:8080");
        assertThat(out.getHttp().getResponse().getHeaders(0).getValue()).isEqualTo("application/json");
        assertThat(out.getHttp().getResponse().getHeaders(1).getValue()).startsWith("REDACTED-");
        assertThat(out.getHttp().getResponse().getBody().toStringUtf8()).startsWith("{\"refresh_token\":\"REDACTED-")
                .endsWith("\",\"n\":1}");
        assertThat(out.getHttp().getInterimResponses(0).getHeaders(0).getValue()).startsWith("REDACTED-");
        assertThat(out.getId()).isEqualTo("id");
        assertThat(dlp.redactions()).isEqualTo(5);
        assertThat(dlp.describe()).isEqualTo("DLP enabled with rules \"standard\": 8 headers, 11 keys, 2 patterns");
    }
}
