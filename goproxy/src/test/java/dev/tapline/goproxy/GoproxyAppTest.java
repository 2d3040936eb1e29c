package dev.tapline.goproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.support.BackendResource;
import dev.tapline.goproxy.support.HttpBackend;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(BackendResource.class)
class GoproxyAppTest {

    @Inject
    GoproxyLifecycle lifecycle;

    @Test
    void requestsThroughTheProxyPortReachTheApp() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + lifecycle.relay().port() + "/product")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(HttpBackend.BODY);
        }
    }

    @Test
    void readyOnceTheRelayListens() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'relay' }.data.port", equalTo(lifecycle.relay().port()));
    }
}
