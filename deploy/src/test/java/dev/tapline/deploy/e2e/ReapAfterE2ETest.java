package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * {@code REAP_AFTER=5s} alone starts the packaged forwarder (the check-in interval it tells proxies is derived from
 * it), a goproxy that keeps checking in stays, and one that falls silent (kill -9) is reaped about 5 s later.
 */
class ReapAfterE2ETest {
    private static final String REAPED = "REAPED proxy ID e2e-pod";

    @Test
    void reapAfterAloneStartsAndASilentProxyIsReapedAfterIt() throws Exception {
        try (Tapline tapline = new Tapline(1)) {
            tapline.forwarderEnv.remove("HEARTBEAT_INTERVAL");
            tapline.forwarderEnv.put("REAP_AFTER", "5s");
            tapline.start(); // the goproxy registers over gRPC

            Thread.sleep(6_500);
            assertThat(tapline.forwarder.hasLine(l -> l.contains(REAPED)))
                    .as("a proxy checking in at the derived interval is not reaped after REAP_AFTER").isFalse();

            tapline.goproxy.kill9();
            long silentAt = System.nanoTime();
            tapline.forwarder.awaitLine(l -> l.contains(REAPED), Duration.ofSeconds(30));
            Duration reapedAfter = Duration.ofNanos(System.nanoTime() - silentAt);
            // its last check-in was at most a third of REAP_AFTER before the kill; the reaper looks every second
            assertThat(reapedAfter).isBetween(Duration.ofMillis(3_300), Duration.ofSeconds(10));
        }
    }
}
