package dev.tapline.forwarder.testing;

import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder in front of a {@link BlockingSink}, with small flow-control windows. */
public class BlockingSinkProfile implements QuarkusTestProfile {
    public static final int WINDOW = 2;

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(BlockingSink.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.upload.window", Integer.toString(WINDOW),
                "forwarder.upload.max-in-flight-batches", "8",
                "forwarder.upload.prepare-threads", "1",
                "forwarder.store.writer-queue-batches", "1",
                "forwarder.data-dir", TempDirs.create("blocking-sink"));
    }
}
