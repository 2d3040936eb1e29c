package dev.tapline.goproxy.uplink;

import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.relay.RelayStats;

/** What a heartbeat reports: the relay's and the capture's running totals, read at the moment of the check-in. */
final class LinkCounters {
    private final RelayStats relayStats;
    private final CaptureStats captureStats;

    LinkCounters(RelayStats relayStats, CaptureStats captureStats) {
        this.relayStats = relayStats;
        this.captureStats = captureStats;
    }

    ProxyCounters now() {
        return ProxyCounters.newBuilder()
                .setConnectionsTotal(relayStats.connectionsTotal.sum())
                .setConnectionsActive(Math.max(0, relayStats.connectionsActive.get()))
                .setBytesClientToApp(relayStats.bytesClientToApp.sum())
                .setBytesAppToClient(relayStats.bytesAppToClient.sum())
                .setCapturesProduced(captureStats.produced.sum())
                .setCapturesAcked(captureStats.acked.sum())
                .setCapturesDropped(captureStats.droppedTotal())
                .setDecoderGiveUps(captureStats.decoderGiveUps.sum())
                .setAppConnectFailures(relayStats.appConnectFailures.sum())
                .build();
    }
}
