package dev.tapline.forwarder.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder with a store of its own, which a test may break. */
public class OwnStoreProfile implements QuarkusTestProfile {
    public static final String DATA_DIR = TempDirs.create("own-store");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.data-dir", DATA_DIR);
    }
}
