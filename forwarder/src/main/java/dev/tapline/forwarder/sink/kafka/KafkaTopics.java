package dev.tapline.forwarder.sink.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The forwarder's two topics, created when missing: captures with KAFKA_TOPIC_PARTITIONS partitions, proxies
 * compacted (the latest event per proxy id is its state; an eviction is a tombstone). Replication and other topic
 * settings are the broker's defaults.
 */
public final class KafkaTopics {
    private static final long TIMEOUT_SECONDS = 5;

    private final String captures;
    private final int partitions;
    private final String proxies;

    public KafkaTopics(String captures, int partitions, String proxies) {
        this.captures = captures;
        this.partitions = partitions;
        this.proxies = proxies;
    }

    /** Thrown when a topic is missing and the forwarder may not (or cannot) create it: retrying will not help. */
    public static final class Refused extends RuntimeException {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Creates what is missing.
     *
     * @throws Refused when Kafka refuses to create a topic
     * @throws TimeoutException when Kafka did not answer in time (try again later)
     */
    public void ensure(Admin admin) throws TimeoutException, InterruptedException {
        Set<String> existing = get(admin.listTopics().names());
        List<NewTopic> missing = new ArrayList<>();
        if (!existing.contains(captures)) {
            missing.add(new NewTopic(captures, Optional.of(partitions), Optional.empty()));
        }
        if (!existing.contains(proxies)) {
            missing.add(new NewTopic(proxies, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof TopicExistsException) {
                    continue; // another forwarder created it meanwhile
                }
                if (cause instanceof AuthorizationException || cause instanceof PolicyViolationException
                        || cause instanceof InvalidReplicationFactorException
                        || cause instanceof InvalidPartitionsException
                        || cause instanceof InvalidConfigurationException || cause instanceof InvalidTopicException) {
                    throw new Refused("topic " + entry.getKey() + " does not exist and Kafka refused to create it ("
                            + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                            + "); create it, or allow this client to", cause);
                }
                throw new TimeoutException("creating topic " + entry.getKey() + ": " + cause);
            }
        }
    }

    /** Fails unless both topics can be described: the probe of readiness. */
    public void describe(Admin admin) throws TimeoutException, InterruptedException {
        get(admin.describeTopics(List.of(captures, proxies)).allTopicNames());
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws TimeoutException, InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthorizationException) {
                throw new Refused("Kafka refused: " + cause.getMessage(), cause);
            }
            TimeoutException t = new TimeoutException(cause instanceof ApiException ? cause.getMessage() : String.valueOf(cause));
            t.initCause(cause);
            throw t;
        }
    }
}
