package dev.tapline.forwarder.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packaged forwarder ({@code target/quarkus-app/quarkus-run.jar}) in a process of its own, as deploy/bench
 * runs it: its CPU time is read from {@code /proc/<pid>/stat}, apart from the process that drives it.
 * Its JVM runs with the flags the image ships ({@code quarkus.jib.jvm-additional-arguments}) and
 * {@code -XX:MaxRAM} standing in for the container's memory limit ({@code -Dtapline.bench.forwarder-memory},
 * default the manifest's limit, 768m). Extra JVM options, after those (e.g. a profiler agent, or {@code -Xmx} to override
 * the heap) come from {@code -Dtapline.bench.forwarder-jvm-args="..."}; another build (e.g. the previous commit's,
 * to compare) from {@code -Dtapline.bench.forwarder-jar=.../quarkus-run.jar}.
 */
final class ForwarderProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("tapline.bench.forwarder-jar",
            "target/quarkus-app/quarkus-run.jar"));
    // USER_HZ: Linux reports utime/stime in 1/100 s on every architecture the JDK runs on
    private static final double TICK_MICROS = 10_000;

    private final Process process;
    private final int grpcPort;
    private final int httpPort;
    private final Path dataDir;

    private ForwarderProcess(Process process, int grpcPort, int httpPort, Path dataDir) {
        this.process = process;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
        this.dataDir = dataDir;
    }

    /** Starts the forwarder with an empty store, no retention, {@code extraEnv} on top; returns when it is ready. */
    static ForwarderProcess start(Path dataDir, Map<String, String> extraEnv) throws Exception {
        return start(JAR, dataDir, extraEnv);
    }

    /** As {@link #start(Path, Map)}, with the forwarder of another build. */
    static ForwarderProcess start(Path jar, Path dataDir, Map<String, String> extraEnv) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: ./mvnw -B -o package -pl forwarder -DskipTests");
        }
        int grpcPort = freePort();
        int httpPort = freePort();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(imageJvmFlags());
        command.add("-XX:MaxRAM=" + System.getProperty("tapline.bench.forwarder-memory", "768m"));
        String extra = System.getProperty("tapline.bench.forwarder-jvm-args", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("forwarder.log").toFile());
        pb.environment().putAll(Map.of("SERVICE_PORT", String.valueOf(grpcPort), "HTTP_PORT", String.valueOf(httpPort),
                "DATA_DIR", dataDir.toString(), "RETENTION_BYTES", "0", "RETENTION_AGE", "0"));
        pb.environment().putAll(extraEnv);
        ForwarderProcess forwarder = new ForwarderProcess(pb.start(), grpcPort, httpPort, dataDir);
        forwarder.awaitReady();
        return forwarder;
    }

    /** The JVM flags the image ships, read from the forwarder's application.properties (on the test classpath). */
    private static List<String> imageJvmFlags() throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = ForwarderProcess.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("no application.properties on the classpath");
            }
            properties.load(in);
        }
        String flags = properties.getProperty("quarkus.jib.jvm-additional-arguments", "").trim();
        if (flags.isEmpty()) {
            throw new IllegalStateException("application.properties declares no quarkus.jib.jvm-additional-arguments");
        }
        return List.of(flags.split(","));
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the forwarder exited: " + Files.readString(dataDir.resolve("forwarder.log")));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the forwarder did not get ready in 60 s");
    }

    int grpcPort() {
        return grpcPort;
    }

    /** CPU time (user + system) the whole process has used so far, microseconds. */
    double cpuMicros() {
        return cpuMicrosOf(process.pid());
    }

    /** CPU time (user + system) process {@code pid} has used so far, microseconds. */
    static double cpuMicrosOf(long pid) {
        return cpuMicros(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    /** Bytes the process has handed to write calls so far (WAL, checkpoints, logs): {@code wchar} of /proc/PID/io. */
    long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The process's resident memory now ({@code VmRSS}) and its peak so far ({@code VmHWM}), KiB, from
     * /proc/PID/status: heap, direct buffers, SQLite's page cache and the page-cache-backed segment maps all count.
     */
    long[] rssKib() {
        long rss = 0;
        long peak = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kib(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new long[] { rss, peak };
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** CPU microseconds used so far by each thread, by name with numbers taken out ("ingest-#"). */
    Map<String, Double> cpuMicrosByThread() {
        Map<String, Double> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "#");
                    byName.merge(name, cpuMicros(task.resolve("stat")), Double::sum);
                } catch (IOException | UncheckedIOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byName;
    }

    // fields 14 and 15 of /proc/<pid>/stat, counted after the ")" that closes the (possibly spaced) name
    private static double cpuMicros(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MICROS;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM, as in production: the JVM exits cleanly (a profiler agent writes its file then). */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
