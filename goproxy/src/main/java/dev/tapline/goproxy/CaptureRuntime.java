package dev.tapline.goproxy;

import java.time.Duration;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.CaptureTaps;
import dev.tapline.goproxy.capture.DetectedProtocol;
import dev.tapline.goproxy.capture.H2cUpgrade;
import dev.tapline.goproxy.capture.http1.HttpSniffer;
import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.capture.http2.Http2Limits;
import dev.tapline.goproxy.capture.http1.SnifferLimits;
import dev.tapline.goproxy.config.GoproxyConfig;
import dev.tapline.goproxy.outbox.CaptureBatcher;
import dev.tapline.goproxy.outbox.CaptureIds;
import dev.tapline.goproxy.outbox.CaptureQueue;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.relay.TapFactory;
import dev.tapline.goproxy.uplink.ForwarderLink;
import dev.tapline.goproxy.uplink.LinkSettings;
import dev.tapline.goproxy.uplink.ProxyIdentityInfo;

/**
 * The capture side of goproxy, put together:
 *
 * <pre>
 *   relay ──bytes──▶ CaptureTaps (decode, per connection) ──▶ CaptureBatcher (encode, per event loop)
 *         ──sealed batches──▶ CaptureQueue ──▶ ForwarderLink ──▶ forwarder
 * </pre>
 *
 * The forwarder link runs even with CAPTURE_ENABLED=false: the proxy still registers and checks in.
 */
@Singleton
public class CaptureRuntime {
    @Inject
    GoproxyConfig config;
    @Inject
    RelayStats relayStats;
    @Inject
    ProxyIdentityInfo identity;

    private final CaptureStats stats = new CaptureStats();
    private CaptureQueue queue;
    private CaptureBatcher batcher;
    private ForwarderLink link;

    @PostConstruct
    void init() {
        GoproxyConfig.Capture c = config.capture();
        queue = new CaptureQueue(c.queueBytes().asLongValue());
        batcher = new CaptureBatcher(queue, stats, new CaptureIds(identity.proxyId()), c.batchRecords(),
                c.batchBytes().asLongValue(), () -> link.wake());
        link = new ForwarderLink(new LinkSettings(config.forwarderAddr(), config.forwarderToken().filter(t -> !t.isBlank()),
                identity, c.batchDelay(), c.maxUnackedBatches(),
                c.dropLogInterval(), Duration.ofSeconds(10)), queue, batcher, stats, relayStats);
    }

    TapFactory taps() {
        if (!config.capture().enabled()) {
            return TapFactory.NONE;
        }
        SnifferLimits limits = new SnifferLimits((int) config.capture().bodyBytes().asLongValue(),
                SnifferLimits.DEFAULT_MAX_HEADER_BYTES, SnifferLimits.DEFAULT_MAX_HEADERS);
        Http2Limits h2 = new Http2Limits(limits.bodyCapBytes(), limits.maxHeaderBytes(),
                config.capture().h2ConnectionBytes().asLongValue());
        H2cUpgrade h2c = Http2Decoder.upgradeFactory(h2);
        return new CaptureTaps(batcher, stats, Map.of(DetectedProtocol.HTTP1, HttpSniffer.factory(limits, h2c),
                DetectedProtocol.HTTP2, Http2Decoder.factory(h2)));
    }

    void start() {
        link.start();
    }

    void stop(Duration flushTimeout) throws InterruptedException {
        link.stop(flushTimeout);
    }

    public CaptureStats stats() {
        return stats;
    }

    public CaptureQueue queue() {
        return queue;
    }

    public ForwarderLink link() {
        return link;
    }
}
