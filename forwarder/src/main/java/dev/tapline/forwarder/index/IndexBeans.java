package dev.tapline.forwarder.index;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.KafkaConfig;
import dev.tapline.forwarder.registry.FleetProxies;
import dev.tapline.forwarder.sink.kafka.KafkaClients;
import dev.tapline.forwarder.store.StoreWriter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The indexer role (INDEX_FROM_KAFKA=true), handed to CDI: both topics into the store and the fleet view. */
@Singleton
public class IndexBeans {
    private static final Logger LOG = Logger.getLogger(IndexBeans.class);

    private CapturesIndexer captures;
    private ProxiesReader proxies;

    @Produces
    @Singleton
    FleetProxies fleet(Clock clock, ForwarderConfig config) {
        return new FleetProxies(clock, config.reapAfter());
    }

    void start(@Observes StartupEvent event, KafkaConfig config, KafkaClients kafka, Instance<StoreWriter> store,
            FleetProxies fleet, Instance<ObjectMapper> mapper) throws InterruptedException {
        if (!config.indexFromKafka()) {
            return;
        }
        ObjectMapper json = mapper.get(); // only for the indexer: Quarkus's mapper costs a third of a second to make
        Map<String, Object> group = consumerSettings(kafka.settings());
        group.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        group.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        group.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one store commit and one offset commit per poll: bigger polls, fewer of both
        group.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "8192");
        captures = new CapturesIndexer(new KafkaConsumer<>(group, new StringDeserializer(), new ByteArrayDeserializer()),
                config.topic(), new KafkaRecords(json), store.get()::write);
        Map<String, Object> plain = consumerSettings(kafka.settings());
        plain.remove(ConsumerConfig.GROUP_ID_CONFIG);
        plain.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        proxies = new ProxiesReader(new KafkaConsumer<>(plain, new StringDeserializer(), new ByteArrayDeserializer()),
                config.proxiesTopic(), fleet, json);
        captures.start();
        proxies.start();
        LOG.infof("Indexing from Kafka: topic %s as group %s, proxies from %s", config.topic(), config.groupId(),
                config.proxiesTopic());
    }

    private static Map<String, Object> consumerSettings(Map<String, Object> settings) {
        Map<String, Object> c = new HashMap<>(settings);
        c.keySet().retainAll(ConsumerConfig.configNames());
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tapline-indexer");
        return c;
    }

    // after the ingest (10), before the Kafka clients (15) and the store (20): what was polled gets stored
    void close(@Observes @Priority(12) ShutdownEvent event) {
        if (captures != null) {
            captures.close();
            LOG.infof("Indexer stopped: %s", captures.progress());
        }
        if (proxies != null) {
            proxies.close();
        }
    }
}
