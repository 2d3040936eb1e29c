package dev.tapline.goproxy.proxy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real keep-alive HTTP/1.1 origin, Python's http.server ({@code origin/keepalive_origin.py}, which lists its
 * paths), in a process of its own, counting the connections it accepted.
 */
final class KeepAliveOrigin implements AutoCloseable {
    private final Process process;
    private final int port;
    private final AtomicInteger connections = new AtomicInteger();

    /** {@code idleSeconds}: how long the origin keeps an idle connection; 0 for no limit. */
    KeepAliveOrigin(double idleSeconds) throws Exception {
        Path script = Path.of(KeepAliveOrigin.class.getResource("/origin/keepalive_origin.py").toURI());
        process = new ProcessBuilder("python3", script.toString(), Double.toString(idleSeconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String first = out.readLine();
        if (first == null) {
            throw new IllegalStateException("the origin did not start");
        }
        port = Integer.parseInt(first.strip());
        Thread counter = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.equals("conn")) {
                        connections.incrementAndGet();
                    }
                }
            } catch (java.io.IOException e) {
                // the origin went away
            }
        }, "origin-connections");
        counter.setDaemon(true);
        counter.start();
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Connections accepted so far (the count lags the accept by a pipe read: poll it). */
    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
