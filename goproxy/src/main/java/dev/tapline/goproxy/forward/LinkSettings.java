package dev.tapline.goproxy.forward;

import java.time.Duration;
import java.util.Optional;

import dev.tapline.goproxy.ProxyIdentityInfo;

/**
 * What the forwarder link needs to know.
 *
 * @param forwarderAddr FORWARDER_ADDR, host:port
 * @param token FORWARDER_TOKEN, sent as a bearer token when present
 * @param identity who this proxy is
 * @param batchRecords captures per upload batch, at most
 * @param batchBytes bytes per upload batch, about
 * @param batchDelay a partly filled batch is sent after this long
 * @param maxUnackedBatches batches in flight before waiting for acks
 * @param dropLogInterval drops are logged at most once per this interval
 * @param maxBackoff reconnect attempts back off up to this long
 */
public record LinkSettings(String forwarderAddr, Optional<String> token, ProxyIdentityInfo identity, int batchRecords,
        long batchBytes, Duration batchDelay, int maxUnackedBatches, Duration dropLogInterval, Duration maxBackoff) {
}
