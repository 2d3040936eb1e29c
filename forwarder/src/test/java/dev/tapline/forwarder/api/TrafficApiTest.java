package dev.tapline.forwarder.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The figures API and the new filters over captures uploaded through gRPC: one app per test, exchanges at known
 * seconds after a whole minute about an hour ago.
 */
@QuarkusTest
class TrafficApiTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** A whole minute about an hour ago, so that the timeline's round intervals start at known times. */
    private static final long T0 = (Captures.T0 / (60 * SECOND) + 1) * 60 * SECOND;

    @GrpcClient("forwarder")
    Channel channel;

    private String app;
    private String ids;
    private int n;

    private static String at(int second) {
        return Instant.ofEpochSecond(0, T0 + second * SECOND).toString();
    }

    @BeforeEach
    void upload() {
        app = Captures.unique("traffic");
        ids = Captures.unique("t");
        String proxy = Captures.unique("pod");
        ForwarderGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder().setProxy(ProxyIdentity
                .newBuilder().setProxyId(proxy).setAppLabel(app).setPodName("shop-1")).build());
        List<Capture> captures = new ArrayList<>();
        // seconds 0-9: /orders/{n} answered 200 in n+1 ms; 10-11: 404; 12: 503; 13: no answer; 14: a TLS connection
        for (int s = 0; s < 10; s++) {
            captures.add(exchange(s, "GET", "/orders/" + (100 + s) + "?x=1", 200, (s + 1) * MS));
        }
        captures.add(exchange(10, "GET", "/orders/3f2b8c1d-9e3a-4b40-8c1d-9e3a7b40aa01", 404, 2 * MS));
        captures.add(exchange(11, "POST", "/orders", 404, 2 * MS));
        captures.add(exchange(12, "POST", "/orders", 503, 30 * MS));
        Capture.Builder lost = Captures.exchange(ids + "-13", proxy, "POST", "/orders", 200, new byte[0])
                .setRequestStartUnixNanos(T0 + 13 * SECOND).setResponseEndUnixNanos(0)
                .setDirection(Direction.DIRECTION_OUTBOUND);
        lost.getHttpBuilder().clearResponse().setResponseMissing(true);
        lost.getHttpBuilder().getRequestBuilder().addHeaders(Captures.header("X-Search-Me", "needle-42"))
                .setBody(ByteString.copyFromUtf8("{\"hay\":\"stack\"}")).setBodySize(15);
        captures.add(lost.build());
        captures.add(Captures.connection(ids + "-14", proxy).setRequestStartUnixNanos(T0 + 14 * SECOND)
                .setResponseEndUnixNanos(T0 + 15 * SECOND).build());
        UploadClient.send(ForwarderGrpc.newStub(channel), Captures.batch(1, proxy, captures));
    }

    private Capture exchange(int second, String method, String target, int status, long durationNanos) {
        return Captures.exchange(ids + "-" + n++, "", method, target, status, "{\"ok\":true}".getBytes())
                .setRequestStartUnixNanos(T0 + second * SECOND)
                .setResponseEndUnixNanos(T0 + second * SECOND + durationNanos).build();
    }

    private RequestSpecification api() {
        return given().queryParam("app", app);
    }

    @Test
    void theTimelineCountsPerIntervalAndStatusClass() {
        JsonPath t = api().queryParam("since", at(0)).queryParam("until", at(20)).queryParam("buckets", "4")
                .get("/api/v1/timeline").then().statusCode(200).extract().jsonPath();
        assertThat(t.getLong("stepMs")).isEqualTo(5000);
        assertThat(t.getList("starts", Long.class)).containsExactly(T0 / MS, T0 / MS + 5000, T0 / MS + 10_000,
                T0 / MS + 15_000);
        assertThat(t.getList("s2xx", Long.class)).containsExactly(5L, 5L, 0L, 0L);
        assertThat(t.getList("s4xx", Long.class)).containsExactly(0L, 0L, 2L, 0L);
        assertThat(t.getList("s5xx", Long.class)).containsExactly(0L, 0L, 1L, 0L);
        assertThat(t.getList("other", Long.class)).as("no answer, the TLS connection").containsExactly(0L, 0L, 2L, 0L);
        assertThat(t.getList("s3xx", Long.class)).containsOnly(0L);
        assertThat(t.getString("since")).isEqualTo(at(0));

        // the same filters as the search: only 4xx now
        JsonPath only4xx = api().queryParam("status", "4xx").queryParam("since", at(0)).queryParam("until", at(20))
                .queryParam("buckets", "4").get("/api/v1/timeline").then().statusCode(200).extract().jsonPath();
        assertThat(only4xx.getList("s2xx", Long.class)).containsOnly(0L);
        assertThat(only4xx.getList("s4xx", Long.class)).containsExactly(0L, 0L, 2L, 0L);
    }

    @Test
    void theTimelineGridIsRoundAndTheRangeExact() {
        // 7 s from second 3 in at most 10 intervals: 1 s intervals on whole seconds, only seconds 3-9 counted
        JsonPath t = api().queryParam("since", at(3)).queryParam("until", at(10)).queryParam("buckets", "10")
                .get("/api/v1/timeline").then().statusCode(200).extract().jsonPath();
        assertThat(t.getLong("stepMs")).isEqualTo(1000);
        assertThat(t.getList("s2xx", Long.class)).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L);
        given().queryParam("buckets", "0").get("/api/v1/timeline").then().statusCode(400)
                .body("parameter", equalTo("buckets"));
    }

    @Test
    void endpointsFoldIdsAndAddUp() {
        JsonPath e = api().queryParam("since", at(0)).queryParam("until", at(60)).get("/api/v1/endpoints").then()
                .statusCode(200).extract().jsonPath();
        assertThat(e.getList("template")).containsExactly("/orders/{id}", "/orders");
        Map<String, Object> orders = e.getMap("[0]");
        assertThat(orders).containsEntry("app", app).containsEntry("method", "GET").containsEntry("count", 11)
                .containsEntry("errors", 0).containsEntry("errorPercent", 0.0f).containsEntry("p50Ms", 5.0f)
                .containsEntry("p95Ms", 10.0f).containsEntry("p99Ms", 10.0f).containsEntry("bytes", 11 * 11)
                .containsEntry("lastSeen", at(10));
        Map<String, Object> post = e.getMap("[1]");
        assertThat(post).containsEntry("method", "POST").containsEntry("count", 3).containsEntry("errors", 2)
                .containsEntry("errorPercent", 66.7f).containsEntry("p99Ms", 30.0f);
        // a click on the row filters the list by app, method and template
        api().queryParam("method", "GET").queryParam("template", "/orders/{id}").queryParam("limit", "1000")
                .get("/api/v1/captures").then().statusCode(200).body("size()", equalTo(11));
    }

    @Test
    void theSearchFiltersByDirectionProtocolAndText() {
        api().queryParam("direction", "outbound").get("/api/v1/captures").then().body("id", contains(ids + "-13"));
        api().queryParam("protocol", "TLS").get("/api/v1/captures").then().body("id", contains(ids + "-14"));
        api().queryParam("q", "needle-42").get("/api/v1/captures").then().body("id", contains(ids + "-13"));
        api().queryParam("q", "\"hay\":\"stack\"").get("/api/v1/captures").then().body("id", contains(ids + "-13"));
        api().queryParam("q", "no such text anywhere").get("/api/v1/captures").then().body("size()", equalTo(0));
        given().queryParam("direction", "sideways").get("/api/v1/captures").then().statusCode(400)
                .body("parameter", equalTo("direction"));
    }
}
