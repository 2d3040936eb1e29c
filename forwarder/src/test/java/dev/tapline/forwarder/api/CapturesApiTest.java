package dev.tapline.forwarder.api;

import static dev.tapline.forwarder.testing.Captures.T0;
import static dev.tapline.forwarder.testing.Captures.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
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

/** The read API over captures uploaded through gRPC: one app of its own per test, seven exchanges a second apart. */
@QuarkusTest
class CapturesApiTest {
    private static final long SECOND = 1_000_000_000L;

    @GrpcClient("forwarder")
    Channel channel;

    private String app;
    private String ids;

    private static long at(int second) {
        return T0 + second * SECOND;
    }

    @BeforeEach
    void upload() {
        app = Captures.unique("api");
        ids = Captures.unique("cap");
        String proxy = Captures.unique("pod");
        ForwarderGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder().setProxy(ProxyIdentity
                .newBuilder().setProxyId(proxy).setAppLabel(app).setPodName("shop-7d9f")).build());
        List<Capture> captures = new ArrayList<>();
        captures.add(exchange(0, "GET", "/orders/1?expand=items", 200));
        Capture.Builder post = Captures.exchange(ids + "-1", proxy, "POST", "/orders", 201, "{\"id\":2}".getBytes())
                .setRequestStartUnixNanos(at(1)).setResponseEndUnixNanos(at(1) + 12_000_000);
        post.getHttpBuilder().getRequestBuilder().addHeaders(header("Content-Type", "application/x-www-form-urlencoded"))
                .setBody(ByteString.copyFromUtf8("item=book&qty=2")).setBodySize(15);
        captures.add(post.build());
        captures.add(exchange(2, "GET", "/orders/2", 404));
        captures.add(exchange(3, "GET", "/health", 200));
        captures.add(exchange(4, "DELETE", "/orders/3", 503));
        captures.add(Captures.connection(ids + "-5", proxy).setRequestStartUnixNanos(at(5))
                .setResponseEndUnixNanos(at(5) + 2 * SECOND).build());
        Capture.Builder broken = Captures.http(ids + "-6", proxy, "/stream").setRequestStartUnixNanos(at(6))
                .setResponseEndUnixNanos(0);
        broken.getHttpBuilder().clearResponse().setResponseMissing(true).setDecoderGaveUp(true);
        captures.add(broken.build());
        UploadClient.send(ForwarderGrpc.newStub(channel), Captures.batch(1, proxy, captures));
    }

    private Capture exchange(int second, String method, String target, int status) {
        return Captures.exchange(ids + "-" + second, "", method, target, status, "{\"ok\":true}".getBytes())
                .setRequestStartUnixNanos(at(second)).setResponseEndUnixNanos(at(second) + 3_500_000).build();
    }

    private RequestSpecification api() {
        return given().queryParam("app", app);
    }

    @Test
    void capturesOfAnAppComeNewestFirstWithTheirExchange() {
        api().get("/api/v1/captures").then().statusCode(200)
                .body("id", contains(ids + "-6", ids + "-5", ids + "-4", ids + "-3", ids + "-2", ids + "-1", ids + "-0"))
                .body("[6].ts", equalTo(Instant.ofEpochSecond(0, T0).toString()))
                .body("[6].durationMs", equalTo(3.5f))
                .body("[6].direction", equalTo("inbound"))
                .body("[6].l7protocol", equalTo("http1"))
                .body("[6].appLabel", equalTo(app))
                .body("[6].podName", equalTo("shop-7d9f"))
                .body("[6].cluster", equalTo("test-cluster"))
                .body("[6].http.req.method", equalTo("GET"))
                .body("[6].http.req.url", equalTo("/orders/1?expand=items"))
                .body("[6].http.req.host", equalTo("shop.example:8080"))
                .body("[6].http.req.headers.Accept", contains("application/json"))
                .body("[6].http.res.statusCode", equalTo(200))
                .body("[6].http.res.statusMessage", equalTo("OK"))
                .body("[6].http.res.bodyBase64", equalTo(Base64.getEncoder().encodeToString("{\"ok\":true}".getBytes())))
                .body("[6].http.res.bodySize", equalTo(11))
                .body("[6].http.res.truncated", equalTo(false))
                .body("[6].flags", hasSize(0))
                .body("[1].connection.detected", equalTo("tls"))
                .body("[1].connection.bytesClientToApp", equalTo(517))
                .body("[1].connection.durationMs", equalTo(2000.0f))
                .body("[1].http", nullValue())
                .body("[0].http.res", nullValue())
                .body("[0].flags", contains("response_missing", "decoder_gave_up"));
    }

    @Test
    void filtersNarrowTheSearch() {
        api().queryParam("status", "2xx").get("/api/v1/captures").then().body("id", contains(ids + "-3", ids + "-1", ids + "-0"));
        api().queryParam("status", "404").get("/api/v1/captures").then().body("id", contains(ids + "-2"));
        api().queryParam("method", "delete").get("/api/v1/captures").then().body("id", contains(ids + "-4"));
        api().queryParam("path", "orders/").get("/api/v1/captures").then().body("id", contains(ids + "-4", ids + "-2", ids + "-0"));
        api().queryParam("since", Instant.ofEpochSecond(0, at(2)).toString())
                .queryParam("until", Instant.ofEpochSecond(0, at(4)).toString())
                .get("/api/v1/captures").then().body("id", contains(ids + "-3", ids + "-2"));
        api().queryParam("limit", "2").get("/api/v1/captures").then().body("id", contains(ids + "-6", ids + "-5"));
        given().queryParam("app", "no-such-app").get("/api/v1/captures").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void oneCaptureByIdOr404() {
        given().get("/api/v1/captures/" + ids + "-1").then().statusCode(200).body("http.req.method", equalTo("POST"))
                .body("http.req.bodyBase64", equalTo(Base64.getEncoder().encodeToString("item=book&qty=2".getBytes())));
        given().get("/api/v1/captures/" + ids + "-404").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("no capture with id " + ids + "-404"));
    }

    @Test
    void badParametersAreRefusedWithWhichOne() {
        given().queryParam("limit", "0").get("/api/v1/captures").then().statusCode(400).contentType("application/json")
                .body("error", equalTo("limit must be 1-1000, got 0")).body("parameter", equalTo("limit"));
        given().queryParam("status", "abc").get("/api/v1/captures.har").then().statusCode(400)
                .body("parameter", equalTo("status"));
        given().queryParam("since", "last tuesday").get("/api/v1/captures").then().statusCode(400)
                .body("parameter", equalTo("since"));
        given().queryParam("colour", "red").get("/api/v1/captures").then().statusCode(400)
                .body("parameter", equalTo("colour"));
    }

    @Test
    void theHarExportHasWhatHar12RequiresAndBrowsersImport() {
        String har = api().get("/api/v1/captures.har").then().statusCode(200).contentType("application/json")
                .extract().asString();

        HarAssert.assertValidHar12(har);
        JsonPath json = JsonPath.from(har);
        assertThat(json.getList("log.entries")).hasSize(6); // the TLS connection has no HAR form
        assertThat(json.getString("log.entries[5].request.url")).isEqualTo("http://shop.example:8080/orders/1?expand=items");
        assertThat(json.getString("log.entries[5].request.queryString[0].name")).isEqualTo("expand");
        assertThat(json.getString("log.entries[5].response.content.text")).isEqualTo("{\"ok\":true}");
        assertThat(json.getString("log.entries[5].startedDateTime")).isEqualTo(Instant.ofEpochSecond(0, T0).toString());
        assertThat(json.getDouble("log.entries[5].time")).isEqualTo(3.5);
        assertThat(json.getString("log.entries[4].request.postData.text")).isEqualTo("item=book&qty=2");
        assertThat(json.getString("log.entries[4].request.postData.params[1].value")).isEqualTo("2");
        assertThat(json.getInt("log.entries[0].response.status")).as("no response").isZero();
        assertThat(json.getString("log.entries[5]._direction")).isEqualTo("inbound");
    }

    @Test
    void directionFiltersInboundFromOutbound() {
        int all = api().get("/api/v1/captures").then().statusCode(200).extract().jsonPath().getList("$").size();
        assertThat(all).isPositive();
        api().queryParam("direction", "inbound").get("/api/v1/captures").then().statusCode(200)
                .body("size()", equalTo(all)).body("direction", org.hamcrest.Matchers.everyItem(equalTo("inbound")));
        api().queryParam("direction", "outbound").get("/api/v1/captures").then().statusCode(200)
                .body("size()", equalTo(0));
    }
}
