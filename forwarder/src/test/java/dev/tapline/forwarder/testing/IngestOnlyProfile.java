package dev.tapline.forwarder.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An ingest-only forwarder: SINK=kafka to a real broker, no INDEX_FROM_KAFKA, and a DATA_DIR that does not exist
 * (a test checks it is never created).
 */
public class IngestOnlyProfile implements QuarkusTestProfile {
    public static final String TOPIC = "ingest-only.captures";
    public static final Path DATA_DIR = Path.of(TempDirs.create("ingest-only"), "never-created");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.data-dir", DATA_DIR.toString(), "forwarder.kafka.sink", "kafka",
                "forwarder.kafka.topic", TOPIC, "forwarder.kafka.proxies-topic", TOPIC + ".proxies",
                "forwarder.kafka.topic-partitions", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaBrokerResource.class));
    }
}
