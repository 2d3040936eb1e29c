package dev.tapline.forwarder.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;

/**
 * Before anything listens: whether a host of KAFKA_BOOTSTRAP_SERVERS resolves. When none does, the Kafka client
 * cannot be made ("No resolvable bootstrap urls"), and the start would fail only once the gRPC port is open; this
 * names the setting with the other bad settings instead (exit 2). The same rule as the client's: one resolvable
 * host is enough (it learns the others from the cluster). A host that resolves but whose broker is down is not a
 * setting problem: the forwarder starts, and readiness goes DOWN with the reason (see health.KafkaReadiness).
 * Does nothing, not even a lookup, when Kafka is off.
 */
public final class KafkaBootstrapHosts {
    private static final String VARIABLE = ForwarderSettings.KAFKA_BOOTSTRAP_SERVERS.env();

    private KafkaBootstrapHosts() {
    }

    /** The problem when KAFKA_BOOTSTRAP_SERVERS is set, well formed, and none of its hosts resolves. */
    public static Optional<ConfigProblem> check(Map<String, String> env) {
        String servers = new EnvRules(env).get(VARIABLE);
        if (servers == null) {
            return Optional.empty();
        }
        List<String> unresolved = new ArrayList<>();
        for (String server : servers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                return Optional.empty(); // not host:port: KafkaEnv names it
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                InetAddress.getAllByName(host);
                return Optional.empty();
            } catch (UnknownHostException e) {
                unresolved.add(host);
            }
        }
        return Optional.of(new ConfigProblem(VARIABLE, servers, "host:port of Kafka brokers of which at least one"
                + " host name is resolvable; none is (" + String.join(", ", unresolved) + ": unknown host)"));
    }
}
