package dev.tapline.forwarder.config;

import java.util.regex.Pattern;

import dev.tapline.common.config.EnvRules;

/** The rules of the Kafka settings ({@link ForwarderSettings}, read by {@link KafkaConfig}) and those across them. */
final class KafkaEnv {
    // Kafka's own rule for topic names (org.apache.kafka.common.internals.Topic)
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SERVER = Pattern.compile("[^\\s,]+:\\d{1,5}");

    private KafkaEnv() {
    }

    /** KAFKA_BOOTSTRAP_SERVERS: host:port, comma-separated. */
    static void bootstrapServers(EnvRules rules, String variable) {
        String servers = rules.get(variable);
        if (servers != null && !bootstrapServers(servers)) {
            rules.problem(variable, servers, "host:port[,host:port...], e.g. kafka:9092");
        }
    }

    /** KAFKA_TOPIC, KAFKA_PROXIES_TOPIC: a name Kafka accepts. */
    static void topic(EnvRules rules, String variable) {
        String v = rules.get(variable);
        if (v != null && (!TOPIC.matcher(v).matches() || v.equals(".") || v.equals(".."))) {
            rules.problem(variable, v, "a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -");
        }
    }

    /** KAFKA_GROUP_ID: not blank once trimmed (EnvRules reads blank as unset, so only spaces inside matter). */
    static void groupId(EnvRules rules, String variable) {
        String v = rules.get(variable);
        if (v != null && v.length() > 255) {
            rules.problem(variable, v, "a consumer group name of at most 255 characters");
        }
    }

    /** What holds across the Kafka settings (each one's own rule is in {@link ForwarderSettings}). */
    static void check(EnvRules rules) {
        String topic = rules.get("KAFKA_TOPIC") == null ? "tapline.captures" : rules.get("KAFKA_TOPIC");
        String proxies = rules.get("KAFKA_PROXIES_TOPIC") == null ? "tapline.proxies" : rules.get("KAFKA_PROXIES_TOPIC");
        if (topic.equals(proxies)) {
            rules.problem("KAFKA_PROXIES_TOPIC", proxies, "a topic other than KAFKA_TOPIC (" + topic + ")");
        }
        if (rules.get("KAFKA_BOOTSTRAP_SERVERS") == null) {
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
            String needed = forced.endsWith("ACKS") ? "all" : "true";
            if (v != null && !v.equalsIgnoreCase(needed)) {
                // a batch is acked to the proxy only once every in-sync replica has each record, exactly once
                rules.problem(forced, v,
                        needed + " (the forwarder acks a batch only after Kafka acked each record of it, once)");
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
