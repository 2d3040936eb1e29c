package dev.tapline.forwarder.sink.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;

/**
 * A thread that makes sure the topics exist, then keeps asking Kafka for them every second, telling
 * {@link KafkaLink} whether it answers. Without it, an unreachable Kafka would show only once records wait.
 *
 * <pre>
 *   ensure topics (retry while unreachable; refused: stop, the start fails) --&gt; describe topics every 1 s --&gt; link
 * </pre>
 */
public final class KafkaWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaWatch.class);
    private static final long PERIOD_MILLIS = 1000;

    private final Admin admin;
    private final KafkaTopics topics;
    private final KafkaLink link;
    private final CountDownLatch firstTry = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaTopics.Refused refused;
    private volatile boolean ensured;

    public KafkaWatch(Admin admin, KafkaTopics topics, KafkaLink link) {
        this.admin = admin;
        this.topics = topics;
        this.link = link;
        this.thread = new Thread(this::run, "kafka-watch");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching and waits up to {@code wait} for the topics to be checked (zero: does not wait).
     *
     * @throws KafkaTopics.Refused when a topic is missing and may not be created
     */
    public void start(Duration wait) throws InterruptedException {
        thread.start();
        firstTry.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (refused != null) {
            throw refused;
        }
        if (!ensured && !wait.isZero()) {
            LOG.warnf("Kafka has not answered yet (waited up to %d s); still trying, readiness goes DOWN if it does not",
                    wait.toSeconds());
        }
    }

    private void run() {
        while (running) {
            long askedAt = System.nanoTime();
            try {
                if (!ensured) {
                    topics.ensure(admin);
                    ensured = true;
                } else {
                    topics.describe(admin);
                }
                link.probeSucceeded();
            } catch (KafkaTopics.Refused e) {
                refused = e;
                link.probeFailed(e.getMessage(), askedAt);
                LOG.errorf("%s", e.getMessage(), LogFields.of("problem", e.getMessage()));
                firstTry.countDown();
                return;
            } catch (TimeoutException e) {
                link.probeFailed(e.getMessage() == null ? "no answer within 5 s" : e.getMessage(), askedAt);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                link.probeFailed(e.toString(), askedAt);
            }
            firstTry.countDown();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
