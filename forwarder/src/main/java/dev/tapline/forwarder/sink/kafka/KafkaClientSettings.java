package dev.tapline.forwarder.sink.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The Kafka client settings users pass through: {@code KAFKA_<PROPERTY>} environment variables
 * ({@code KAFKA_SECURITY_PROTOCOL} is {@code security.protocol}) and {@code kafka.<property>} config keys, which
 * win over the environment. Only names the Kafka clients know are passed: Kubernetes puts {@code KAFKA_PORT} and
 * the like into every pod of a namespace with a Service named kafka, and those are not settings.
 */
public final class KafkaClientSettings {
    private static final Logger LOG = Logger.getLogger(KafkaClientSettings.class);

    /** Our own KAFKA_ variables (KafkaConfig), not client properties. */
    private static final Set<String> OURS = Set.of("KAFKA_TOPIC", "KAFKA_FORMAT", "KAFKA_PROXIES_TOPIC",
            "KAFKA_TOPIC_PARTITIONS", "KAFKA_UNAVAILABLE_READY_AFTER", "KAFKA_GROUP_ID");

    private KafkaClientSettings() {
    }

    /** The passed-through properties, with {@code bootstrapServers} as bootstrap.servers. */
    public static Map<String, Object> of(Map<String, String> env, Config config, String bootstrapServers) {
        Set<String> known = new TreeSet<>();
        known.addAll(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        Map<String, Object> out = new HashMap<>();
        env.forEach((name, value) -> {
            if (!name.startsWith("KAFKA_") || OURS.contains(name) || name.equals("KAFKA_BOOTSTRAP_SERVERS")
                    || value.isBlank()) {
                return;
            }
            String property = name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (known.contains(property)) {
                out.put(property, value);
            } else {
                LOG.debugf("%s is not a Kafka client setting (%s); not passed on", name, property);
            }
        });
        for (String key : config.getPropertyNames()) {
            if (key.startsWith("kafka.")) {
                String property = key.substring("kafka.".length());
                config.getOptionalValue(key, String.class).ifPresent(v -> out.put(property, v));
            }
        }
        out.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return out;
    }

    /** The producer's: {@code settings} with what the forwarder's acks rely on forced. */
    public static Map<String, Object> producer(Map<String, Object> settings) {
        Map<String, Object> p = new HashMap<>(settings);
        // a batch is acked to the proxy only when every in-sync replica has each record, written once
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tapline-forwarder");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a proxy's batch is up to 1 MiB: in Kafka's 16 KiB batches a 64 KiB capture went alone in its own produce
        // batch. ForwarderCpuBench against 16 KiB, same session: 256 KiB with 64 KiB captures, the broker's CPU per
        // capture 0.51x, the forwarder's 0.81x; 1 MiB with 1 KiB captures, 0.39x and 0.84x. 256 KiB, because 128 of
        // them fit the default 32 MiB buffer.memory: many partitions do not block the producer
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return p;
    }

    /** The property names, for the start line (values may be secrets). */
    public static String names(Map<String, Object> settings) {
        return String.join(",", new TreeSet<>(settings.keySet()));
    }
}
