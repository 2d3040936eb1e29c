package dev.tapline.forwarder.ingest;

import static dev.tapline.forwarder.testing.Captures.header;
import static dev.tapline.forwarder.testing.Captures.http;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.forwarder.testing.Captures;

class CaptureValidatorTest {
    private final CaptureValidator validator = new CaptureValidator(1024, 10, 300, 100);

    private String problem(UnaryOperator<Capture.Builder> change) {
        return validator.problem(change.apply(http("id-1", "pod-a", "/orders?id=1")).build(), "pod-a");
    }

    private String requestProblem(UnaryOperator<HttpRequest.Builder> change) {
        return problem(c -> {
            c.getHttpBuilder().setRequest(change.apply(c.getHttp().getRequest().toBuilder()));
            return c;
        });
    }

    @Test
    void aPlausibleExchangeOrConnectionIsAccepted() {
        assertThat(problem(c -> c)).isNull();
        assertThat(validator.problem(Captures.connection("c-1", "pod-a").build(), "pod-a")).isNull();
        assertThat(problem(c -> c.setProxyId(""))).as("proxy id taken from the batch").isNull();
        assertThat(problem(c -> c.setId("x".repeat(128)))).isNull();
    }

    @Test
    void theIdIsRequiredAndBounded() {
        assertThat(problem(c -> c.setId(""))).isEqualTo("id is required");
        assertThat(problem(c -> c.setId("x".repeat(129)))).isEqualTo("id is longer than 128 characters (129)");
        assertThat(problem(c -> c.setId("two words"))).isEqualTo("id contains spaces or control characters");
    }

    @Test
    void theProxyMustBeKnownAndMatchTheBatch() {
        assertThat(validator.problem(http("id-1", "", "/").build(), ""))
                .isEqualTo("proxy_id is required, on the batch or on the record");
        assertThat(problem(c -> c.setProxyId("pod-b"))).isEqualTo("proxy_id \"pod-b\" differs from the batch's \"pod-a\"");
    }

    @Test
    void oversizedPartsAreRefusedWithTheLimitInTheReason() {
        assertThat(requestProblem(r -> r.setBody(ByteString.copyFrom(new byte[1025])).setBodySize(1025)))
                .isEqualTo("request body exceeds 1024 bytes (1025)");
        assertThat(requestProblem(r -> {
            for (int i = 0; i < 9; i++) {
                r.addHeaders(header("X-N" + i, "v"));
            }
            return r;
        })).isEqualTo("request has 11 header fields, more than 10");
        assertThat(requestProblem(r -> r.addHeaders(header("X-Big", "v".repeat(300)))))
                .startsWith("request header fields take ").endsWith("bytes, more than 300");
        assertThat(requestProblem(r -> r.setTarget("/" + "a".repeat(100))))
                .isEqualTo("request target exceeds 100 characters (101)");
    }

    @Test
    void garbageIsRefusedWithWhatIsWrong() {
        assertThat(problem(Capture.Builder::clearPayload))
                .isEqualTo("the record has neither an http exchange nor a connection summary");
        assertThat(problem(c -> c.setHttp(c.getHttp().toBuilder().clearRequest())))
                .isEqualTo("http.request is missing");
        assertThat(requestProblem(r -> r.setMethod("GET /x"))).isEqualTo("request method \"GET /x\" is not an HTTP method token");
        assertThat(requestProblem(r -> r.setTarget("/a b"))).isEqualTo("request target contains spaces or control characters");
        assertThat(requestProblem(r -> r.setVersion("SPDY"))).isEqualTo("request version \"SPDY\" is not HTTP/x.y");
        assertThat(requestProblem(r -> r.addHeaders(header("Bad Name", "v"))))
                .isEqualTo("request header name \"Bad Name\" is not a token");
        assertThat(requestProblem(r -> r.addHeaders(header("X-A", "v\r\nX-Injected: 1"))))
                .isEqualTo("request header X-A has a line break or NUL in its value");
        assertThat(requestProblem(r -> r.setBody(ByteString.copyFromUtf8("abc")).setBodySize(2)))
                .isEqualTo("request body holds 3 bytes, more than its body_size 2");
        assertThat(problem(c -> c.setHttp(c.getHttp().toBuilder().setResponse(
                c.getHttp().getResponse().toBuilder().setStatusCode(42)))))
                .isEqualTo("response status 42 is not a 3-digit code");
        assertThat(problem(c -> c.setRequestStartUnixNanos(-1))).isEqualTo("request_start_unix_nanos is negative");
        assertThat(problem(c -> c.setResponseEndUnixNanos(Captures.T0 - 1)))
                .isEqualTo("response_end_unix_nanos is before request_start_unix_nanos");
        assertThat(problem(c -> c.setProtocolValue(99))).isEqualTo("protocol or direction is not a known value");
    }
}
