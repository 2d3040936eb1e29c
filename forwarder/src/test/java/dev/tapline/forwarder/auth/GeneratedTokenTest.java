package dev.tapline.forwarder.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.forwarder.testing.GeneratedTokenProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Secure by default: without API_TOKEN the captures need the token generated at start; probes stay open. */
@QuarkusTest
@TestProfile(GeneratedTokenProfile.class)
class GeneratedTokenTest {
    private static final Pattern URL_TOKEN = Pattern.compile("http://localhost:8889/analyzer/#token=([A-Za-z0-9_-]{32})$");

    @Inject
    ApiAccess access;

    private String token() {
        Matcher m = URL_TOKEN.matcher(access.startLine(8889));
        assertThat(m.find()).as(access.startLine(8889)).isTrue();
        return m.group(1);
    }

    @Test
    void withoutATokenTheApiAndItsDocumentAreRefused() {
        assertThat(access.mode()).isEqualTo(ApiAccess.Mode.GENERATED);
        for (String path : new String[] { "/api/v1/captures", "/api/v1/proxies", "/api/v1/timeline",
                "/api/v1/endpoints", "/q/openapi" }) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
        }
    }

    @Test
    void theTokenInTheLoggedUrlOpensTheApi() {
        String token = token();
        given().header("Authorization", "Bearer " + token).get("/api/v1/captures").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/q/openapi").then().statusCode(200);
    }

    @Test
    void healthMetricsAndTheStaticPageStayOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/analyzer/").then().statusCode(200);
    }

    @Test
    void eachStartMakesAnotherTokenAndNoneOpensWithAWarning() {
        assertThat(ApiAccess.of(Optional.empty()).startLine(1)).isNotEqualTo(ApiAccess.of(Optional.empty()).startLine(1));
        ApiAccess open = ApiAccess.of(Optional.of("NONE"));
        assertThat(open.mode()).isEqualTo(ApiAccess.Mode.OPEN);
        assertThat(open.token().allows(null)).isTrue();
        assertThat(open.startLine(8889)).startsWith("API_TOKEN=none: the read API and the Analyzer are open");
        ApiAccess set = ApiAccess.of(Optional.of("s3cret"));
        assertThat(set.startLine(8889)).isNull();
        assertThat(set.token().allows("Bearer s3cret")).isTrue();
        assertThat(set.token().allows(null)).isFalse();
    }
}
