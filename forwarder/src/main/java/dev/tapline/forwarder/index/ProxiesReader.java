package dev.tapline.forwarder.index;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.forwarder.api.ProxiesResource.ProxyView;
import dev.tapline.forwarder.registry.FleetProxies;
import dev.tapline.forwarder.registry.ProxyRecord;

/**
 * Reads the compacted proxies topic from its beginning into {@link FleetProxies}, and follows it. No consumer group:
 * every indexer wants every event, and a restart reads the (compacted, small) topic again.
 */
final class ProxiesReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProxiesReader.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final FleetProxies fleet;
    private final ObjectMapper json;
    private final Thread thread;
    private volatile boolean running = true;

    ProxiesReader(Consumer<String, byte[]> consumer, String topic, FleetProxies fleet, ObjectMapper json) {
        this.consumer = consumer;
        this.topic = topic;
        this.fleet = fleet;
        this.json = json;
        this.thread = new Thread(this::run, "kafka-proxies");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMinutes(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "Reading the proxies topic stopped: %s", e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        try {
            fleet.update(r.key(), r.value() == null ? null : record(json.readValue(r.value(), ProxyView.class)));
        } catch (IOException e) {
            LOG.debugf("Proxy event of %s skipped: %s", r.key(), e.getMessage());
        }
    }

    /** The proxy as the read API's JSON showed it, back as the registry's record (without its counters). */
    private static ProxyRecord record(ProxyView v) {
        ProxyIdentity identity = ProxyIdentity.newBuilder().setProxyId(v.proxyId()).setAppLabel(orEmpty(v.appLabel()))
                .setPodName(orEmpty(v.podName())).setPodNamespace(orEmpty(v.podNamespace()))
                .setProxyType(orEmpty(v.proxyType())).setVersion(orEmpty(v.version())).build();
        return new ProxyRecord(identity, Instant.parse(v.registeredAt()), Instant.parse(v.lastCheckIn()),
                ProxyCounters.getDefaultInstance());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
