package dev.tapline.forwarder.testing;

import java.util.Map;

import dev.tapline.testkit.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real Kafka broker (testkit, KRaft, a process) for a Quarkus test; its bootstrap servers as the forwarder's. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaBroker.start();
        return Map.of("forwarder.kafka.bootstrap-servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
