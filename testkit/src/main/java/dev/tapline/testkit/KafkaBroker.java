package dev.tapline.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker for tests: Kafka's own server (KRaft, broker and controller in one process) started
 * as a child process from the jars the testkit build copied, on free loopback ports, with its data in a temporary
 * directory.
 *
 * <pre>
 *   start() --format the data dir (once)--&gt; java -cp 'libs/*' kafka.Kafka server.properties --&gt; "Kafka Server started"
 *   kill()  --SIGKILL--&gt; gone, data kept      restart() --same ports, same data--&gt; ready again
 * </pre>
 *
 * One broker per test class at most: it takes about 2 s and 300-400 MB to start.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Path dir;
    private final Path libs;
    private final int port;
    private final int controllerPort;
    private final Properties extra;
    private Process process;
    private int starts;

    private KafkaBroker(Path dir, Path libs, int port, int controllerPort, Properties extra) {
        this.dir = dir;
        this.libs = libs;
        this.port = port;
        this.controllerPort = controllerPort;
        this.extra = extra;
    }

    /** Starts a broker on two free loopback ports; {@code settings} are added to its server.properties. */
    public static KafkaBroker start(String... settings) {
        Properties extra = new Properties();
        for (String s : settings) {
            int eq = s.indexOf('=');
            extra.setProperty(s.substring(0, eq), s.substring(eq + 1));
        }
        try {
            Path dir = Files.createTempDirectory("tapline-kafka-");
            KafkaBroker broker = new KafkaBroker(dir, libs(), freePort(), freePort(), extra);
            broker.writeConfig();
            broker.format();
            broker.launch();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for bootstrap.servers. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker process's id (for its CPU time in /proc); -1 when not running. */
    public long pid() {
        return isAlive() ? process.pid() : -1;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the broker dies without a clean shutdown; its data stays for {@link #restart()}. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /** A clean shutdown (SIGTERM); its data stays. */
    public void stop() {
        if (process != null) {
            process.destroy();
            if (!waitFor(process)) {
                process.destroyForcibly();
                waitFor(process);
            }
        }
    }

    /** Starts the broker again on the same ports with the same data, after {@link #kill()} or {@link #stop()}. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("the broker is still running");
        }
        launch();
    }

    /** The broker's log so far (all starts), for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("broker.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        kill();
        deleteTree(dir);
    }

    private void writeConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "1");
        p.putAll(extra);
        try (var out = Files.newOutputStream(dir.resolve("server.properties"))) {
            p.store(out, "written by dev.tapline.testkit.KafkaBroker");
        }
        // the broker's own log to stdout (our broker.log), warnings and above only from its chatty parts
        Files.writeString(dir.resolve("log4j2.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.out.ref = out
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                logger.kafka.name = kafka
                logger.kafka.level = WARN
                logger.org.name = org.apache.kafka
                logger.org.level = WARN
                logger.server.name = kafka.server.KafkaRaftServer
                logger.server.level = INFO
                """);
    }

    private void format() {
        // what StorageTool random-uuid prints (16 random bytes, base64url without padding), without a JVM start;
        // like Kafka's own Uuid, never one that starts with '-': the tool's parser would take it for an option
        // (1 run in 64 failed so)
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] id = new byte[16];
        String clusterId;
        do {
            random.nextBytes(id);
            clusterId = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } while (clusterId.startsWith("-"));
        run(List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId, "-c",
                dir.resolve("server.properties").toString()));
    }

    private void run(List<String> mainAndArgs) {
        try {
            Process p = new ProcessBuilder(command(mainAndArgs)).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(mainAndArgs + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        starts++;
        Path log = dir.resolve("broker.log");
        long from;
        try {
            from = Files.exists(log) ? Files.size(log) : 0;
            List<String> cmd = command(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ":\n" + log());
            }
            String text = log().substring((int) Math.min(from, log().length()));
            if (text.contains("Kafka Server started")) {
                return;
            }
            sleep(50);
        }
        kill();
        throw new IllegalStateException("the Kafka broker was not ready within " + READY_WITHIN + " (start "
                + starts + "):\n" + log());
    }

    private List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms64m");
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        cmd.add("-cp");
        cmd.add(libs.toString() + "/*"); // a class path wildcard: the JVM expands it, no shell involved
        cmd.addAll(mainAndArgs);
        return cmd;
    }

    private static Path libs() throws IOException {
        Properties p = new Properties();
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.properties")) {
            p.load(in);
        }
        Path libs = Path.of(p.getProperty("libs"));
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException("Kafka's broker jars are not at " + libs
                    + ": build the testkit module first (./mvnw -pl testkit package)");
        }
        return libs;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean waitFor(Process p) {
        try {
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is not worth failing a test for
        }
    }
}
