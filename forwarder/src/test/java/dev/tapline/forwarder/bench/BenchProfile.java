package dev.tapline.forwarder.bench;

import java.util.Map;

import dev.tapline.forwarder.testing.TempDirs;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder as deployed, on an empty store of its own without retention limits (the benchmark fills it). */
public class BenchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.data-dir", TempDirs.create("bench"), "forwarder.retention-bytes", "0",
                "forwarder.retention-age", "0s");
    }
}
