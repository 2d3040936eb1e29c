package dev.tapline.forwarder.sink.kafka;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;

/**
 * Whether Kafka takes our records, for readiness: DOWN once it has not for KAFKA_UNAVAILABLE_READY_AFTER, so that a
 * Service sends proxies to forwarders that can deliver. Three signs, each with the time it started:
 *
 * <pre>
 *   the probe (Admin: cluster and topics) fails ...........  since the first failed probe, until one succeeds
 *   records sent and none acked ...........................  since the oldest wait began, until an ack comes
 *   a send failed (timeout, not authorised, ...) ..........  since that failure, until a later send is acked
 * </pre>
 *
 * Thread-safe: producer callbacks, the probe thread and health checks all touch it.
 */
public final class KafkaLink {
    private static final Logger LOG = Logger.getLogger(KafkaLink.class);

    private final long readyAfterNanos;
    private final AtomicLong pending = new AtomicLong();
    private volatile long waitingSince; // when pending went from 0 to more, or the last ack while still pending
    private volatile long probeFailingSince;
    private volatile String probeProblem;
    private volatile long sendFailingSince;
    private volatile String sendProblem;
    private volatile boolean reportedDown;

    public KafkaLink(Duration readyAfter) {
        this.readyAfterNanos = readyAfter.toNanos();
    }

    void sending(int records) {
        if (pending.getAndAdd(records) == 0) {
            waitingSince = System.nanoTime();
        }
    }

    void acked(int records) {
        waitingSince = System.nanoTime();
        pending.addAndGet(-records);
        sendProblem = null;
    }

    void failed(int records, String problem) {
        pending.addAndGet(-records);
        if (sendProblem == null) {
            sendFailingSince = System.nanoTime();
        }
        sendProblem = problem;
    }

    void probeSucceeded() {
        probeProblem = null;
    }

    /** @param askedAt when the failed probe began (a probe waits up to 5 s for its answer) */
    void probeFailed(String problem, long askedAt) {
        if (probeProblem == null) {
            probeFailingSince = askedAt;
        }
        probeProblem = problem;
    }

    /** Why Kafka counts as unavailable now, or null while it is available (or not yet for long enough). */
    public String problem() {
        long now = System.nanoTime();
        String problem = null;
        String probe = probeProblem;
        String send = sendProblem;
        if (probe != null && now - probeFailingSince >= readyAfterNanos) {
            problem = "Kafka unreachable: " + probe;
        } else if (send != null && now - sendFailingSince >= readyAfterNanos) {
            problem = "Kafka refused records: " + send;
        } else if (pending.get() > 0 && now - waitingSince >= readyAfterNanos) {
            problem = pending.get() + " records sent to Kafka and none acked for "
                    + Duration.ofNanos(now - waitingSince).toSeconds() + " s";
        }
        report(problem);
        return problem;
    }

    /** One line when readiness goes DOWN for Kafka, one when it comes back. */
    private synchronized void report(String problem) {
        if (problem != null && !reportedDown) {
            reportedDown = true;
            LOG.warnf("Kafka unavailable, readiness DOWN: %s", problem, LogFields.of("problem", problem));
        } else if (problem == null && reportedDown) {
            reportedDown = false;
            LOG.infof("Kafka available again, readiness UP");
        }
    }
}
