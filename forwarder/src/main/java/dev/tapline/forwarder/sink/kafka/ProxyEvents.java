package dev.tapline.forwarder.sink.kafka;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.forwarder.api.ProxiesResource.ProxyView;
import dev.tapline.forwarder.registry.ProxyRecord;
import dev.tapline.forwarder.registry.RegistryListener;

/**
 * Registrations, check-ins and evictions to the compacted proxies topic, keyed by proxy id: the latest record of a
 * proxy is its state (the read API's proxy JSON), an eviction is a tombstone. The indexer reads the topic into its
 * fleet view. Best effort: a lost event is repaired by the proxy's next check-in. Sent from a thread of its own,
 * as a send may wait for Kafka (max.block.ms) and the registry is called on gRPC threads; beyond 1000 waiting events
 * new ones are dropped.
 */
final class ProxyEvents implements RegistryListener {
    private static final Logger LOG = Logger.getLogger(ProxyEvents.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ObjectMapper json;
    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000), r -> {
                Thread t = new Thread(r, "kafka-proxy-events");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());

    ProxyEvents(Producer<String, byte[]> producer, String topic, ObjectMapper json) {
        this.producer = producer;
        this.topic = topic;
        this.json = json;
    }

    @Override
    public void updated(ProxyRecord record) {
        try {
            send(record, json.writeValueAsBytes(ProxyView.of(record, "live")));
        } catch (JsonProcessingException e) {
            LOG.warnf("Proxy %s has no JSON form: %s", record.identity().getProxyId(), e.getMessage());
        }
    }

    @Override
    public void evicted(ProxyRecord record) {
        send(record, null);
    }

    private void send(ProxyRecord record, byte[] value) {
        sender.execute(() -> publish(record.identity().getProxyId(), value));
    }

    private void publish(String id, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, id, value), (metadata, failure) -> {
                if (failure != null) {
                    LOG.debugf("Proxy event of %s not published: %s", id, failure.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("Proxy event of %s not published: %s", id, e.toString());
        }
    }
}
