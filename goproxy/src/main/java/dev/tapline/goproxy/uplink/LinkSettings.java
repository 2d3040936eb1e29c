package dev.tapline.goproxy.uplink;

import java.time.Duration;
import java.util.Optional;


/**
 * What the forwarder link needs to know.
 *
 * @param forwarderAddr FORWARDER_ADDR, host:port
 * @param token FORWARDER_TOKEN, sent as a bearer token when present
 * @param identity who this proxy is
 * @param batchDelay a partly filled batch is sealed and sent after this long
 * @param maxUnackedBatches batches in flight before waiting for acks
 * @param dropLogInterval drops are logged at most once per this interval
 * @param maxBackoff reconnect attempts back off up to this long
 */
public record LinkSettings(String forwarderAddr, Optional<String> token, ProxyIdentityInfo identity,
        Duration batchDelay, int maxUnackedBatches, Duration dropLogInterval, Duration maxBackoff) {
}
