package dev.tapline.forwarder.sink.kafka;

import java.util.HashMap;
import java.util.List;
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

    /** A producer setting the forwarder defaults differently from Kafka; {@code KAFKA_<PROPERTY>} still wins. */
    public record ProducerDefault(String property, String value, String why) {
    }

    /** The forwarder's producer defaults, declared here only; README's table under "Kafka (scale-out)" lists them. */
    public static final List<ProducerDefault> PRODUCER_DEFAULTS = List.of(
            new ProducerDefault(ProducerConfig.LINGER_MS_CONFIG, "5",
                    "how long a partition's batch waits for more records before it is sent (Kafka 4's default too; 3.x had 0)"),
            // in Kafka's 16 KiB batches a 64 KiB capture went alone in its own produce batch. ForwarderCpuBench
            // against 16 KiB, same session: 256 KiB with 64 KiB captures, the broker's CPU per capture 0.51x, the
            // forwarder's 0.81x; 1 MiB with 1 KiB captures, 0.39x and 0.84x. 256 KiB, because 128 of them fit the
            // default 32 MiB buffer.memory: many partitions do not block the producer
            new ProducerDefault(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
                    "bytes of one partition's batch (Kafka: 16384): several captures of 64 KiB share one"),
            // Kafka's 128 KiB socket buffer took a produce request of a few 256 KiB batches in many writes, one
            // trip around the network thread's poll loop each; -1 leaves the size to the kernel, which grows it with
            // the traffic up to net.ipv4.tcp_wmem's maximum. Against 128 KiB, same session: the producer thread per
            // 64 KiB capture 0.76-0.90x (0.56-0.59x loaded), 1 KiB 0.73-0.85x (docs/benchmarks/2026-12-04-kafka6-6.md)
            new ProducerDefault(ProducerConfig.SEND_BUFFER_CONFIG, "-1",
                    "the socket's send buffer (Kafka: 131072); -1: the kernel's, grown with the traffic up to"
                            + " `net.ipv4.tcp_wmem`'s maximum"));

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
        PRODUCER_DEFAULTS.forEach(d -> p.putIfAbsent(d.property(), d.value()));
        return p;
    }

    /** README's table of {@link #PRODUCER_DEFAULTS}. */
    public static String producerDefaultsMarkdown() {
        StringBuilder table = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
        for (ProducerDefault d : PRODUCER_DEFAULTS) {
            table.append("| `KAFKA_").append(d.property().toUpperCase(Locale.ROOT).replace('.', '_')).append("` | `")
                    .append(d.value()).append("` | ").append(d.why()).append(" |\n");
        }
        return table.toString();
    }

    /** The property names, for the start line (values may be secrets). */
    public static String names(Map<String, Object> settings) {
        return String.join(",", new TreeSet<>(settings.keySet()));
    }
}
