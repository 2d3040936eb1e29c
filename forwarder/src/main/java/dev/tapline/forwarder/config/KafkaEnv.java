package dev.tapline.forwarder.config;

import java.util.regex.Pattern;

import dev.tapline.common.config.EnvRules;

/** The environment variables of {@link KafkaConfig} and what each accepts; part of {@link ForwarderEnv#check}. */
final class KafkaEnv {
    // Kafka's own rule for topic names (org.apache.kafka.common.internals.Topic)
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SERVER = Pattern.compile("[^\\s,]+:\\d{1,5}");

    private KafkaEnv() {
    }

    static void check(EnvRules rules) {
        rules.oneOf("SINK", "store", "kafka", "both");
        rules.oneOf("KAFKA_FORMAT", "json", "protobuf");
        rules.duration("KAFKA_UNAVAILABLE_READY_AFTER");
        rules.bool("INDEX_FROM_KAFKA");
        rules.intRange("KAFKA_TOPIC_PARTITIONS", 1, 100_000);
        String servers = rules.get("KAFKA_BOOTSTRAP_SERVERS");
        if (servers != null && !bootstrapServers(servers)) {
            rules.problem("KAFKA_BOOTSTRAP_SERVERS", servers, "host:port[,host:port...], e.g. kafka:9092");
        }
        for (String name : new String[] { "KAFKA_TOPIC", "KAFKA_PROXIES_TOPIC" }) {
            String v = rules.get(name);
            if (v != null && (!TOPIC.matcher(v).matches() || v.equals(".") || v.equals(".."))) {
                rules.problem(name, v, "a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -");
            }
        }
        String topic = rules.get("KAFKA_TOPIC") == null ? "tapline.captures" : rules.get("KAFKA_TOPIC");
        String proxies = rules.get("KAFKA_PROXIES_TOPIC") == null ? "tapline.proxies" : rules.get("KAFKA_PROXIES_TOPIC");
        if (topic.equals(proxies)) {
            rules.problem("KAFKA_PROXIES_TOPIC", proxies, "a topic other than KAFKA_TOPIC (" + topic + ")");
        }
        String group = rules.get("KAFKA_GROUP_ID");
        if (group != null && group.isBlank()) {
            rules.problem("KAFKA_GROUP_ID", group, "a consumer group name");
        }
        if (servers == null) {
            String sink = rules.get("SINK");
            if (sink != null && !sink.equalsIgnoreCase("store")) {
                rules.problem("SINK", sink, "store while KAFKA_BOOTSTRAP_SERVERS is not set");
            }
            if ("true".equalsIgnoreCase(rules.get("INDEX_FROM_KAFKA"))) {
                rules.problem("INDEX_FROM_KAFKA", "true", "false while KAFKA_BOOTSTRAP_SERVERS is not set");
            }
        }
        for (String forced : new String[] { "KAFKA_ACKS", "KAFKA_ENABLE_IDEMPOTENCE" }) {
            String v = rules.get(forced);
            if (v != null && !v.equalsIgnoreCase(forced.endsWith("ACKS") ? "all" : "true")) {
                // a batch is acked to the proxy only once every in-sync replica has each record, exactly once
                rules.problem(forced, v, (forced.endsWith("ACKS") ? "all" : "true")
                        + " (the forwarder acks a batch only after Kafka acked each record of it, once)");
            }
        }
    }

    private static boolean bootstrapServers(String v) {
        for (String server : v.split(",", -1)) {
            String s = server.trim();
            if (!SERVER.matcher(s).matches()) {
                return false;
            }
            int port = Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                return false;
            }
        }
        return true;
    }
}
