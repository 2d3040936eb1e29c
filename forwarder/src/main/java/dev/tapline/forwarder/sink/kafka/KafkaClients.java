package dev.tapline.forwarder.sink.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.KafkaConfig;
import dev.tapline.forwarder.grpcview.GrpcSchemasAtStart;
import dev.tapline.forwarder.registry.ProxyRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The forwarder's Kafka clients when KAFKA_BOOTSTRAP_SERVERS is set: one idempotent producer (captures and proxy
 * events), one admin client (topics and the readiness probe), and the settings the indexer's consumers start from.
 * Made at start, so a bootstrap host that does not resolve or a topic that may not be created stops the start with
 * one clear line (when no broker accepts connections yet, the start does not wait for one: see {@link BrokerReach}); closed at shutdown after the ingest stopped handing it batches (what was sent is flushed).
 */
@Singleton
public class KafkaClients {
    private static final Logger LOG = Logger.getLogger(KafkaClients.class);

    @Inject
    KafkaConfig config;
    @Inject
    ForwarderConfig forwarderConfig;
    /** Asked for only when Kafka is on: Quarkus's mapper loads ~450 classes, a third of a second of every start. */
    @Inject
    Instance<ObjectMapper> json;
    @Inject
    ProxyRegistry registry;

    private Map<String, Object> settings;
    private KafkaLink link;
    private Producer<String, byte[]> producer;
    private Admin admin;
    private KafkaWatch watch;
    private KafkaSink sink;

    public boolean enabled() {
        return config.bootstrapServers().isPresent();
    }

    void start(@Observes StartupEvent event) throws InterruptedException {
        started();
    }

    /** Makes the clients once (at start, or at first use if a bean needs them before the start event). */
    private synchronized void started() throws InterruptedException {
        if (!enabled() || settings != null) {
            return;
        }
        String servers = config.bootstrapServers().get();
        settings = KafkaClientSettings.of(System.getenv(), ConfigProvider.getConfig(), servers);
        link = new KafkaLink(config.unavailableReadyAfter());
        try {
            admin = Admin.create(new HashMap<>(settings));
            producer = new KafkaProducer<>(KafkaClientSettings.producer(settings), new StringSerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            LOG.errorf("KAFKA_BOOTSTRAP_SERVERS=\"%s\": cannot make a Kafka client: %s", servers, why,
                    LogFields.of("variable", "KAFKA_BOOTSTRAP_SERVERS", "value", servers));
            throw e;
        }
        sink = new KafkaSink(producer, new CaptureRecords(config.topic(), config.format(), json.get(),
                GrpcSchemasAtStart.schemas(forwarderConfig.grpcDescriptorSet())), link);
        if (config.effectiveSink().toKafka()) {
            registry.listen(new ProxyEvents(producer, config.proxiesTopic(), json.get()));
        }
        watch = new KafkaWatch(admin, new KafkaTopics(config.topic(), config.topicPartitions(), config.proxiesTopic()),
                link);
        boolean brokerThere = BrokerReach.anyAccepts(servers, Duration.ofSeconds(1));
        if (!brokerThere) {
            LOG.warnf("No Kafka broker accepts connections at %s: starting without it, still trying; readiness goes"
                    + " DOWN after %d s without Kafka", servers, config.unavailableReadyAfter().toSeconds(),
                    LogFields.of("variable", "KAFKA_BOOTSTRAP_SERVERS", "value", servers));
        }
        watch.start(brokerThere ? Duration.ofSeconds(10) : Duration.ZERO);
        LOG.infof("Kafka: bootstrap %s, sink %s, topic %s (%s), proxies topic %s, index from Kafka %s, client settings %s",
                servers, config.effectiveSink().name().toLowerCase(), config.topic(),
                config.format().name().toLowerCase(), config.proxiesTopic(), config.indexFromKafka(),
                KafkaClientSettings.names(settings));
    }

    /** The sink for SINK=kafka or both; only when {@link #enabled()}. */
    public KafkaSink sink() throws InterruptedException {
        started();
        return sink;
    }

    /** Kafka's state for readiness; null when Kafka is off. */
    public synchronized KafkaLink link() {
        return link;
    }

    /** The client settings a consumer starts from (bootstrap servers and what users passed through). */
    public Map<String, Object> settings() throws InterruptedException {
        started();
        return Map.copyOf(settings);
    }

    // after the ingest (10) stopped handing batches over, before the store (20)
    void close(@Observes @Priority(15) ShutdownEvent event) {
        if (watch != null) {
            watch.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
