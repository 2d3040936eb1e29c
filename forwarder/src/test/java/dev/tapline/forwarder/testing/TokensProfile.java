package dev.tapline.forwarder.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder with FORWARDER_TOKEN and API_TOKEN set. */
public class TokensProfile implements QuarkusTestProfile {
    public static final String FORWARDER_TOKEN = "grpc-Secret-1";
    public static final String API_TOKEN = "api-Secret-2";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.token", FORWARDER_TOKEN, "forwarder.api-token", API_TOKEN,
                "forwarder.data-dir", TempDirs.create("tokens"));
    }
}
