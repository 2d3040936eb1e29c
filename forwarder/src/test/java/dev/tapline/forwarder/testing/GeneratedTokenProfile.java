package dev.tapline.forwarder.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder as users start it: API_TOKEN not set, so it makes a token of its own. */
public class GeneratedTokenProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.api-token", "", "forwarder.data-dir", TempDirs.create("generated-token"));
    }
}
