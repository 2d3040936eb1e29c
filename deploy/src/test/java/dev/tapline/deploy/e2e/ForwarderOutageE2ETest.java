package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The forwarder down for a minute under load: the relay keeps its speed, goproxy's memory stays bounded, drops
 * are counted and logged, and captures flow again once the forwarder is back.
 */
class ForwarderOutageE2ETest {
    private static final long OUTAGE_MS = Long.getLong("tapline.e2e.outageMs", 60_000);

    @Test
    void theRelayKeepsItsSpeedAndBoundedMemoryWhileTheForwarderIsDown() throws Exception {
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline t = new Tapline(app.port())) {
            t.goproxyEnv.put("CAPTURE_QUEUE_BYTES", "16M");
            t.goproxyEnv.put("DROP_LOG_INTERVAL", "2s");
            t.start();
            try (Load load = new Load(t.proxyPort, 4, "/small?outage=")) {
                load.rate(3000); // warm-up
                double up = load.rate(10_000);
                t.forwarder.kill9();
                double down = load.rate(OUTAGE_MS);
                long rss = t.goproxy.rssKib();
                String metrics = t.proxyMetrics();
                assertThat(down).as("req/s with the forwarder down vs up (%.0f vs %.0f)", down, up).isGreaterThanOrEqualTo(0.9 * up);
                assertThat(rss).as("goproxy RSS KiB with a 16M queue and -Xmx256m").isLessThan(450 * 1024);
                assertThat(Tapline.metric(metrics, "goproxy_captures_dropped_total")).isPositive();
                assertThat(Tapline.metric(metrics, "goproxy_capture_queue_bytes")).isLessThanOrEqualTo(16 * 1024 * 1024);
                assertThat(t.goproxy.hasLine(l -> l.contains("dropped captures") && l.contains("\"dropped\":"))).isTrue();
                assertThat(load.errors.get()).isZero();

                t.startForwarder();
                int before = t.captures().size();
                // goproxy retries at most every 10 s (jittered), then drains its queue
                await().atMost(Duration.ofSeconds(60)).until(() -> t.captures().size() > before + 1000);
            }
        }
    }
}
