package dev.tapline.forwarder.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.tapline.forwarder.config.KafkaConfig;
import dev.tapline.forwarder.sink.kafka.KafkaClients;
import dev.tapline.forwarder.sink.kafka.KafkaLink;

/**
 * Readiness of Kafka when the forwarder uses it: DOWN once Kafka has not taken records (or not answered) for
 * KAFKA_UNAVAILABLE_READY_AFTER, so that a Service routes proxies to forwarders that can deliver. UP with
 * {@code kafka: off} when KAFKA_BOOTSTRAP_SERVERS is not set.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    @Inject
    KafkaClients kafka;
    @Inject
    KafkaConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("Kafka");
        KafkaLink link = kafka.link();
        if (link == null) {
            return answer.up().withData("kafka", kafka.enabled() ? "starting" : "off").build();
        }
        answer.withData("sink", config.effectiveSink().name().toLowerCase())
                .withData("topic", config.topic());
        String problem = link.problem();
        return problem == null ? answer.up().build() : answer.down().withData("problem", problem).build();
    }
}
