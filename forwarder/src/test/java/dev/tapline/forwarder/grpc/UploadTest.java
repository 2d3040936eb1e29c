package dev.tapline.forwarder.grpc;

import static dev.tapline.forwarder.testing.Captures.batch;
import static dev.tapline.forwarder.testing.Captures.header;
import static dev.tapline.forwarder.testing.Captures.http;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.Rejection;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.metrics.ForwarderMetrics;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class UploadTest {

    @GrpcClient("forwarder")
    Channel channel;
    @GrpcClient("forwarder")
    ForwarderGrpc.ForwarderBlockingStub calls;
    @Inject
    ForwarderMetrics metrics;

    private String registered(String app) {
        String proxy = Captures.unique("pod");
        calls.register(RegisterRequest.newBuilder().setProxy(ProxyIdentity.newBuilder().setProxyId(proxy)
                .setAppLabel(app).setPodName(proxy + "-pod").setProxyType("reverse")).build());
        return proxy;
    }

    private static List<Capture> captures(String prefix, String proxy, int n) {
        List<Capture> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(http(prefix + "-" + i, proxy, "/items/" + i).build());
        }
        return out;
    }

    @Test
    void eachBatchIsAckedOnceItsCapturesAreStoredAndReadable() {
        String app = Captures.unique("shop");
        String proxy = registered(app);
        String ids = Captures.unique("c");

        List<UploadAck> acks = UploadClient.send(ForwarderGrpc.newStub(channel), batch(1, proxy, captures(ids + "-a", proxy, 3)),
                batch(2, proxy, captures(ids + "-b", proxy, 2)));

        assertThat(acks).extracting(UploadAck::getBatchId).containsExactly(1L, 2L);
        assertThat(acks).extracting(UploadAck::getStored).containsExactly(3, 2);
        assertThat(acks).allSatisfy(a -> assertThat(a.getDuplicates()).isZero());
        given().queryParam("app", app).get("/api/v1/captures").then().statusCode(200).body("$", hasSize(5))
                .body("[0].podName", equalTo(proxy + "-pod")).body("[0].cluster", equalTo("test-cluster"));
    }

    @Test
    void aBatchSentAgainAfterAReconnectIsStoredOnce() {
        String app = Captures.unique("shop");
        String proxy = registered(app);
        UploadBatch batch = batch(7, proxy, captures(Captures.unique("resend"), proxy, 4));

        UploadAck first = UploadClient.send(ForwarderGrpc.newStub(channel), batch).get(0);
        UploadAck again = UploadClient.send(ForwarderGrpc.newStub(channel), batch).get(0);

        assertThat(first.getStored()).isEqualTo(4);
        assertThat(again.getBatchId()).isEqualTo(7);
        assertThat(again.getStored()).isZero();
        assertThat(again.getDuplicates()).isEqualTo(4);
        given().queryParam("app", app).get("/api/v1/captures").then().body("$", hasSize(4));
    }

    @Test
    void badRecordsAreRejectedOneByOneWithAReasonAndTheStreamGoesOn() {
        String app = Captures.unique("shop");
        String proxy = registered(app);
        String ids = Captures.unique("mix");
        Capture good = http(ids + "-good", proxy, "/ok").build();
        Capture noId = http("", proxy, "/no-id").build();
        Capture.Builder big = http(ids + "-big", proxy, "/big");
        big.getHttpBuilder().getRequestBuilder().addHeaders(header("X-Big", "v".repeat(300 * 1024)));
        Capture garbage = http(ids + "-garbage", proxy, "/g").clearPayload().build();
        long rejectedBefore = metrics.snapshot().rejected();

        List<UploadAck> acks = UploadClient.send(ForwarderGrpc.newStub(channel), batch(1, proxy, List.of(noId, good, big.build(), garbage)),
                batch(2, proxy, List.of(http(ids + "-after", proxy, "/after").build())));

        assertThat(acks.get(0).getStored()).isEqualTo(1);
        assertThat(acks.get(0).getRejectionsList()).extracting(Rejection::getIndex, Rejection::getCaptureId)
                .containsExactly(tuple(0, ""), tuple(2, ids + "-big"), tuple(3, ids + "-garbage"));
        assertThat(acks.get(0).getRejections(0).getReason()).isEqualTo("id is required");
        assertThat(acks.get(0).getRejections(1).getReason()).contains("more than 262144");
        assertThat(acks.get(0).getRejections(2).getReason()).contains("neither an http exchange nor a connection");
        assertThat(acks.get(1).getStored()).isEqualTo(1);
        assertThat(metrics.snapshot().rejected() - rejectedBefore).isEqualTo(3);
    }

    @Test
    void uploadCountersShowOnTheMetricsEndpoint() {
        String proxy = registered(Captures.unique("shop"));
        UploadClient.send(ForwarderGrpc.newStub(channel), batch(1, proxy, captures(Captures.unique("m"), proxy, 2)));

        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(scrape).contains("forwarder_captures_received_total", "forwarder_captures_stored_total",
                "forwarder_captures_duplicate_total", "forwarder_captures_rejected_total",
                "forwarder_captures_bytes_total", "forwarder_upload_streams", "forwarder_upload_batches_total",
                "forwarder_proxies_registered", "forwarder_registrations_total", "forwarder_proxies_reaped_total",
                "forwarder_dlp_redactions_total", "forwarder_store_size_bytes", "forwarder_store_retention_deleted_total");
    }
}
