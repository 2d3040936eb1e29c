package dev.tapline.deploy.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady keep-alive traffic from a few client threads on raw sockets (cheap on the client side, so the proxy is
 * what is measured). Each thread reconnects after an error and counts it.
 */
final class Load implements AutoCloseable {
    final AtomicLong completed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final long pauseMillis;

    Load(int port, int clients, String pathPrefix) {
        this(port, clients, pathPrefix, 0);
    }

    /** Each client pauses {@code pauseMillis} after each response: a bounded rate for correctness tests. */
    Load(int port, int clients, String pathPrefix, long pauseMillis) {
        this.pauseMillis = pauseMillis;
        for (int t = 0; t < clients; t++) {
            int id = t;
            Thread thread = new Thread(() -> run(port, pathPrefix + id + "-"), "load-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private void run(int port, String prefix) {
        long n = 0;
        while (running.get()) {
            try (RawHttp c = new RawHttp(port)) {
                while (running.get()) {
                    c.send("GET " + prefix + (n++) + " HTTP/1.1\r\nHost: load\r\n\r\n");
                    c.readResponse(false);
                    completed.incrementAndGet();
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (Exception e) {
                if (running.get()) {
                    errors.incrementAndGet();
                }
            }
        }
    }

    /** Requests per second over the next {@code millis}. */
    double rate(long millis) throws InterruptedException {
        long before = completed.get();
        long started = System.nanoTime();
        Thread.sleep(millis);
        return (completed.get() - before) * 1e9 / (System.nanoTime() - started);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
