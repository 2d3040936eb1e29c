package dev.tapline.forwarder.sink.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.forwarder.api.SchemaCheck;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.IngestOnlyProfile;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * An ingest-only forwarder (SINK=kafka, no INDEX_FROM_KAFKA) on a real broker: it acks what Kafka took, never
 * opens or creates a store under DATA_DIR, and its read API says where the captures went instead of listing none.
 */
@QuarkusTest
@TestProfile(IngestOnlyProfile.class)
class IngestOnlyTest {
    private static final String WHERE = "this forwarder is an ingest-only node (SINK=kafka): it publishes captures to"
            + " the Kafka topic " + IngestOnlyProfile.TOPIC + " and stores none; read them on the indexer, a forwarder"
            + " with INDEX_FROM_KAFKA=true";

    @GrpcClient("forwarder")
    Channel channel;

    @Test
    void itAcksWhatKafkaTookAndNeverCreatesTheStore() {
        String proxy = Captures.unique("pod");
        ForwarderGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder().setProxy(ProxyIdentity
                .newBuilder().setProxyId(proxy).setAppLabel("shop").setPodName("pod-1")).build());
        List<UploadAck> acks = UploadClient.send(ForwarderGrpc.newStub(channel), Captures.batch(1, proxy, List.of(
                Captures.http(Captures.unique("io"), proxy, "/a").build(),
                Captures.http(Captures.unique("io"), proxy, "/b").build())));

        assertThat(acks).extracting(UploadAck::getStored).containsExactly(2);
        assertThat(IngestOnlyProfile.DATA_DIR).as("DATA_DIR of an ingest-only node").doesNotExist();
        assertThat(IngestOnlyProfile.DATA_DIR.getParent()).isDirectory();
        // the registry is in memory, not in the store: this node still lists the proxies that upload to it
        given().get("/api/v1/proxies").then().statusCode(200).body("proxyId", hasItem(proxy));
    }

    @Test
    void eachReadOfCapturesAnswersWhereTheyGoNotAnEmptyList() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode doc = json.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        for (String[] call : List.of(new String[] { "/api/v1/captures", "/api/v1/captures" },
                new String[] { "/api/v1/captures/{id}", "/api/v1/captures/some-id" },
                new String[] { "/api/v1/captures.har", "/api/v1/captures.har" },
                new String[] { "/api/v1/timeline", "/api/v1/timeline" },
                new String[] { "/api/v1/endpoints", "/api/v1/endpoints?app=shop" })) {
            String body = given().get(call[1]).then().statusCode(503).contentType("application/json")
                    .body("error", equalTo(WHERE)).extract().asString();
            // the answer is the one the OpenAPI document declares for 503
            JsonNode schema = doc.at("/paths/" + call[0].replace("/", "~1")
                    + "/get/responses/503/content/application~1json/schema");
            assertThat(schema.isMissingNode()).as("503 of " + call[0]).isFalse();
            assertThat(SchemaCheck.problems(doc, schema, json.readTree(body))).as(call[1]).isEmpty();
        }
        assertThat(Files.exists(IngestOnlyProfile.DATA_DIR)).isFalse();
    }

    @Test
    void readinessIsUpWithNoStoreAndSaysWhereCapturesGo() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Capture store' }.data.store", equalTo("none"))
                .body("checks.find { it.name == 'Capture store' }.data.captures",
                        equalTo("to Kafka topic " + IngestOnlyProfile.TOPIC))
                .body("checks.find { it.name == 'Kafka' }.data.sink", equalTo("kafka"));
        assertThat(IngestOnlyProfile.DATA_DIR).doesNotExist();
    }
}
