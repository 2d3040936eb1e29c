package dev.tapline.goproxy.metrics;

import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tapline.goproxy.CaptureRuntime;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.proxy.ProxyProtocol;
import dev.tapline.goproxy.proxy.ProxyStats;
import dev.tapline.goproxy.relay.RelayStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the relay's and the capture's counters on /q/metrics. The hot path only bumps {@link LongAdder}s;
 * Micrometer reads them when scraped.
 */
@Singleton
public class GoproxyMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    RelayStats relay;
    @Inject
    CaptureRuntime capture;
    @Inject
    ProxyStats proxy;

    void register(@Observes @Priority(1) StartupEvent event) {
        Gauge.builder("goproxy.connections.active", relay.connectionsActive, a -> a.get())
                .description("Client connections open now").register(registry);
        counter("goproxy.connections", relay.connectionsTotal, "Client connections accepted");
        FunctionCounter.builder("goproxy.relay.bytes", relay.bytesClientToApp, LongAdder::sum)
                .tag("direction", "client_to_app").description("Bytes relayed").register(registry);
        FunctionCounter.builder("goproxy.relay.bytes", relay.bytesAppToClient, LongAdder::sum)
                .tag("direction", "app_to_client").description("Bytes relayed").register(registry);
        counter("goproxy.app.connect.failures", relay.appConnectFailures, "Failed connects to the app");

        for (ProxyProtocol p : ProxyProtocol.values()) {
            for (ProxyStats.Outcome o : ProxyStats.Outcome.values()) {
                FunctionCounter.builder("goproxy.proxy.requests", proxy.counter(p, o), LongAdder::sum)
                        .tag("protocol", p.tag()).tag("outcome", o.tag())
                        .description("Forward proxy requests (CONNECT, SOCKS, absolute URLs) by outcome").register(registry);
            }
        }

        CaptureStats c = capture.stats();
        counter("goproxy.captures.produced", c.produced, "Capture records made by the decoders");
        counter("goproxy.captures.sent", c.sent, "Capture records sent to the forwarder (resends included)");
        counter("goproxy.captures.acked", c.acked, "Capture records the forwarder acked");
        counter("goproxy.captures.rejected", c.rejected, "Capture records the forwarder refused");
        FunctionCounter.builder("goproxy.captures.dropped", c.droppedQueueFull, LongAdder::sum)
                .tag("reason", "queue_full").description("Capture records dropped").register(registry);
        FunctionCounter.builder("goproxy.captures.dropped", c.droppedShutdown, LongAdder::sum)
                .tag("reason", "shutdown").description("Capture records dropped").register(registry);
        counter("goproxy.decoder.giveups", c.decoderGiveUps, "Connections whose HTTP decoding stopped on bad input");
        counter("goproxy.decoder.memory.capped", c.decoderMemoryCapped,
                "HTTP/2 connections whose decoding stopped at CAPTURE_H2_CONNECTION_BYTES");
        Gauge.builder("goproxy.capture.queue.bytes", capture, r -> r.queue().bytes())
                .description("Memory held by captures waiting for the forwarder").baseUnit("bytes").register(registry);
        Gauge.builder("goproxy.capture.queue.records", capture, r -> r.queue().size())
                .description("Captures waiting for the forwarder").register(registry);
        Gauge.builder("goproxy.forwarder.link.up", capture, r -> r.link().isUp() ? 1 : 0)
                .description("1 while registered with the forwarder and uploading").register(registry);
    }

    private void counter(String name, LongAdder adder, String description) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }
}
