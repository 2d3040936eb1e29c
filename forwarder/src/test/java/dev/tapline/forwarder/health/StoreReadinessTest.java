package dev.tapline.forwarder.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.tapline.forwarder.testing.OwnStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Readiness follows the store: DOWN while DATA_DIR is gone, UP again when it is back. Liveness does not care. */
@QuarkusTest
@TestProfile(OwnStoreProfile.class)
class StoreReadinessTest {

    @Test
    void readyNeedsTheGrpcListenerAndAWritableStore() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Capture store")).body("checks.name", hasItem("gRPC Server"));
    }

    @Test
    void notReadyWhileTheDataDirectoryIsGone() throws Exception {
        Path dir = Path.of(OwnStoreProfile.DATA_DIR);
        Path away = dir.resolveSibling(dir.getFileName() + "-moved");
        Files.move(dir, away);
        try {
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Capture store' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Capture store' }.data.problem", startsWith("DATA_DIR "));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            Files.move(away, dir);
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
