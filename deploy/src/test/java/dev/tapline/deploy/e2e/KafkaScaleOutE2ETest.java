package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.deploy.FreePort;
import dev.tapline.testkit.KafkaBroker;

/**
 * The forwarder scaled out on a real Kafka broker, as processes: goproxies upload to two ingest forwarders
 * (SINK=kafka), which publish to the broker; one indexer (INDEX_FROM_KAFKA) consumes into its store and serves the
 * read API for the fleet. One broker for the class.
 *
 * <pre>
 *   client --&gt; goproxy a --&gt; forwarder a (SINK=kafka) --\
 *                                                       broker --&gt; indexer (store, read API)  &lt;-- the test reads here
 *   client --&gt; goproxy b --&gt; forwarder b (SINK=kafka) --/     '--&gt; kcat
 * </pre>
 */
class KafkaScaleOutE2ETest {
    private static KafkaBroker broker;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Tapline ingest(ScriptedHttpBackend app, String topic) throws Exception {
        Tapline t = new Tapline(app.port());
        t.goproxyEnv.put("APP_POD_NAME", "e2e-pod-" + t.proxyPort); // two proxies, two proxy ids
        t.forwarderEnv.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SINK", "kafka",
                "KAFKA_TOPIC", topic, "KAFKA_PROXIES_TOPIC", topic + ".proxies", "KAFKA_TOPIC_PARTITIONS", "3",
                "KAFKA_UNAVAILABLE_READY_AFTER", "3s"));
        t.forwarderHeap = "-Xmx256m";
        return t;
    }

    private static Tapline indexer(String topic) throws Exception {
        Tapline t = new Tapline(1);
        t.forwarderEnv.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "SINK", "store",
                "INDEX_FROM_KAFKA", "true", "KAFKA_TOPIC", topic, "KAFKA_PROXIES_TOPIC", topic + ".proxies",
                "KAFKA_GROUP_ID", topic + "-indexer"));
        t.forwarderHeap = "-Xmx256m";
        return t;
    }

    @Test
    void everyExchangeOfTwoIngestForwardersAppearsOnceInTheIndexerInOrderPerConnection() throws Exception {
        String topic = "scaleout";
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline a = ingest(app, topic);
                Tapline b = ingest(app, topic); Tapline index = indexer(topic)) {
            a.start();
            b.start();
            index.startForwarder();
            long sent;
            try (Load la = new Load(a.proxyPort, 2, "/small?a-"); Load lb = new Load(b.proxyPort, 2, "/small?b-")) {
                Thread.sleep(3000);
                la.close();
                lb.close();
                sent = la.completed.get() + lb.completed.get();
                assertThat(la.errors.get() + lb.errors.get()).as("client errors").isZero();
            }
            assertThat(sent).isPositive();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> index.captures().size() >= sent);
            List<JsonNode> captures = index.captures();
            assertOncePerRequestInOrder(captures, sent);
            assertThat(captures).extracting(c -> c.get("proxyId").asText()).containsOnly(proxyId(a), proxyId(b))
                    .contains(proxyId(a), proxyId(b));
            // the ingest forwarders published only: they open no store (DATA_DIR stays empty), and their read API
            // says where the captures are rather than listing none
            try (Stream<Path> files = Files.list(a.dataDir)) {
                assertThat(files.toList()).as("DATA_DIR of an ingest forwarder").isEmpty();
            }
            assertThatThrownBy(a::captures).hasMessageContaining("-> 503")
                    .hasMessageContaining("ingest-only node (SINK=kafka)").hasMessageContaining("Kafka topic " + topic)
                    .hasMessageContaining("INDEX_FROM_KAFKA=true");

            // the indexer's proxies view covers the fleet, though no proxy registered with it
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(proxies(index))
                    .contains(proxyId(a), proxyId(b)));

            // kcat reads the JSON records: key proxyId/cid, the read API's capture, headers naming it
            List<String> lines = kcat("-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k\\t%h\\t%s\\n");
            assertThat(lines).hasSize((int) sent);
            String[] first = lines.get(0).split("\t", 3);
            JsonNode record = json.readTree(first[2]);
            assertThat(first[0]).isEqualTo(record.get("proxyId").asText() + "/" + record.get("cid").asLong());
            assertThat(first[1]).contains("capture-id=" + record.get("id").asText()).contains("app-label=" + Tapline.APP)
                    .contains("l7protocol=http1").contains("content-type=application/json");
            assertThat(record.get("http").get("req").get("url").asText()).startsWith("/small?");
        }
    }

    @Test
    void killingAnIngestForwarderThenTheBrokerLosesAndDuplicatesNoCapture() throws Exception {
        String topic = "crashes";
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline a = ingest(app, topic);
                Tapline b = ingest(app, topic); Tapline index = indexer(topic)) {
            a.start();
            b.start();
            index.startForwarder();
            long sent;
            // a few hundred exchanges per second: enough batches in flight at each kill, little enough that this
            // loaded machine drains them in seconds
            try (Load la = new Load(a.proxyPort, 2, "/small?ka-", 5); Load lb = new Load(b.proxyPort, 2, "/small?kb-", 5)) {
                Thread.sleep(2000);
                a.forwarder.kill9();
                Thread.sleep(2000);
                a.startForwarder();
                Thread.sleep(2000);
                broker.kill();
                // Kafka gone for longer than KAFKA_UNAVAILABLE_READY_AFTER (3s): the ingest forwarders say not ready, why
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(readiness(b))
                        .containsPattern("\"status\"\\s*:\\s*\"DOWN\"").contains("Kafka"));
                b.forwarder.awaitLine(l -> l.contains("Kafka unavailable, readiness DOWN"), Duration.ofSeconds(5));
                broker.restart();
                Thread.sleep(2000);
                la.close();
                lb.close();
                sent = la.completed.get() + lb.completed.get();
                assertThat(la.errors.get() + lb.errors.get()).as("client errors").isZero();
            }
            // the goproxies resend what was not acked (forwarder a's last batches) and drain their queues
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(index.captures().size()).as("%d sent; goproxies: %s / %s; indexer: %s; ingest a: %s",
                            sent, counters(a), counters(b), problems(index), problems(a)).isGreaterThanOrEqualTo((int) sent));
            assertThat(Tapline.metric(a.proxyMetrics(), "goproxy_captures_dropped_total")
                    + Tapline.metric(b.proxyMetrics(), "goproxy_captures_dropped_total")).as("dropped").isZero();
            assertOncePerRequestInOrder(index.captures(), sent);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(readiness(b))
                    .containsPattern("^\\{\\s*\"status\"\\s*:\\s*\"UP\""));
        }
    }

    @Test
    void aTopicKafkaRefusesToCreateStopsTheStartNamingIt() throws Exception {
        // Kafka refuses a name that collides with an existing one once '.' and '_' are treated alike
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline first = ingest(app, "taken.name")) {
            first.startForwarder();
            try (Tapline clash = ingest(app, "taken_name")) {
                AppProcess p = AppProcess.start("forwarder", Tapline.FORWARDER_JAR, clash.forwarderEnv, "-Xmx256m");
                try {
                    assertThat(p.awaitExit(Duration.ofSeconds(60))).isNotZero();
                    assertThat(p.lines()).anyMatch(l -> l.contains("topic taken_name does not exist and Kafka refused"
                            + " to create it"));
                } finally {
                    p.close();
                }
            }
        }
    }

    @Test
    void anUnknownBootstrapHostOrAWrongFormatStopsTheStartNamingTheSettingBeforeAnythingListens() throws Exception {
        try (Tapline t = new Tapline(1)) {
            t.forwarderEnv.put("KAFKA_BOOTSTRAP_SERVERS", "no-such-kafka.invalid:9092");
            AppProcess p = AppProcess.start("forwarder", Tapline.FORWARDER_JAR, t.forwarderEnv, "-Xmx256m");
            try {
                // checked with the other settings, before Quarkus starts: exit 2, one JSON line, nothing listened
                assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
                assertThat(p.lines()).hasSize(1);
                JsonNode line = json.readTree(p.lines().get(0));
                assertThat(line.get("level").asText()).isEqualTo("error");
                assertThat(line.get("variable").asText()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
                assertThat(line.get("value").asText()).isEqualTo("no-such-kafka.invalid:9092");
                assertThat(line.get("msg").asText()).startsWith("KAFKA_BOOTSTRAP_SERVERS=\"no-such-kafka.invalid:9092\"")
                        .contains("resolvable").contains("no-such-kafka.invalid: unknown host");
            } finally {
                p.close();
            }
        }
        try (Tapline t = new Tapline(1)) {
            t.forwarderEnv.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            t.forwarderEnv.put("KAFKA_FORMAT", "avro");
            AppProcess p = AppProcess.start("forwarder", Tapline.FORWARDER_JAR, t.forwarderEnv, "-Xmx256m");
            try {
                assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
                assertThat(p.lines()).anyMatch(l -> l.contains("KAFKA_FORMAT") && l.contains("avro")
                        && l.contains("json, protobuf"));
            } finally {
                p.close();
            }
        }
    }

    @Test
    void aResolvableBootstrapHostWithNoBrokerStartsNotReadyAndSaysWhy() throws Exception {
        try (Tapline t = new Tapline(1)) {
            // localhost resolves; nothing listens on a port FreePort handed out and nobody took
            t.forwarderEnv.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + FreePort.next(),
                    "SINK", "kafka", "KAFKA_UNAVAILABLE_READY_AFTER", "2s"));
            AppProcess p = AppProcess.start("forwarder", Tapline.FORWARDER_JAR, t.forwarderEnv, "-Xmx256m");
            try {
                // nothing accepts a connection there, so the start does not wait the 10 s it gives a broker that is
                // there to answer about the topics
                String started = p.awaitLine(l -> l.contains("Listening on"), Duration.ofSeconds(60));
                assertThat(p.lines()).anyMatch(l -> l.contains("No Kafka broker accepts connections at localhost:"))
                        .noneMatch(l -> l.contains("Kafka has not answered yet"));
                Matcher seconds = Pattern.compile("started in (\\d+\\.\\d+)s").matcher(started);
                assertThat(seconds.find()).as(started).isTrue();
                assertThat(Double.parseDouble(seconds.group(1))).as(started).isLessThan(9.0);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(readiness(t))
                        .containsPattern("^\\{\\s*\"status\"\\s*:\\s*\"DOWN\"").contains("\"Kafka\"")
                        .contains("\"problem\""));
                p.awaitLine(l -> l.contains("Kafka unavailable, readiness DOWN"), Duration.ofSeconds(10));
                assertThat(p.lines()).noneMatch(l -> l.contains("KAFKA_BOOTSTRAP_SERVERS") && l.contains("resolvable"))
                        .as("the client's line per reconnection attempt").noneMatch(l -> l.contains("could not be established"));
            } finally {
                p.close();
            }
        }
    }

    /** Each request the clients completed is there once, and each connection's exchanges are in order. */
    private static void assertOncePerRequestInOrder(List<JsonNode> captures, long sent) {
        Set<String> urls = new HashSet<>();
        Map<String, List<JsonNode>> byConnection = new HashMap<>();
        for (JsonNode c : captures) {
            assertThat(urls.add(c.get("http").get("req").get("url").asText())).as("once: %s", c).isTrue();
            byConnection.computeIfAbsent(c.get("proxyId").asText() + "/" + c.get("cid").asLong(), k -> new ArrayList<>())
                    .add(c);
        }
        assertThat(captures).hasSize((int) sent);
        for (List<JsonNode> connection : byConnection.values()) {
            connection.sort(Comparator.comparingLong(c -> c.get("sequence").asLong()));
            long previous = -1;
            String previousTs = "";
            for (JsonNode c : connection) {
                String url = c.get("http").get("req").get("url").asText();
                long n = Long.parseLong(url.substring(url.lastIndexOf('-') + 1));
                assertThat(n).as("request number in sequence order on %s", url).isGreaterThan(previous);
                assertThat(c.get("ts").asText()).as("ts in sequence order").isGreaterThanOrEqualTo(previousTs);
                previous = n;
                previousTs = c.get("ts").asText();
            }
        }
    }

    private static String counters(Tapline t) throws Exception {
        String m = t.proxyMetrics();
        return "produced " + Tapline.metric(m, "goproxy_captures_produced_total") + ", acked "
                + Tapline.metric(m, "goproxy_captures_acked_total") + ", dropped "
                + Tapline.metric(m, "goproxy_captures_dropped_total");
    }

    /** The WARN and ERROR lines of a forwarder, for failure messages. */
    private static List<String> problems(Tapline t) {
        return t.forwarder.lines().stream().filter(l -> l.contains("\"level\":\"warning\"")
                || l.contains("\"level\":\"error\"")).map(l -> l.length() > 300 ? l.substring(0, 300) : l).toList();
    }

    private static String proxyId(Tapline t) {
        return t.goproxy.lines().stream().filter(l -> l.contains("Successfully registered with forwarder"))
                .map(l -> l.replaceAll(".*\"proxyID\":\"([^\"]+)\".*", "$1")).findFirst().orElseThrow();
    }

    private List<String> proxies(Tapline index) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + index.apiPort + "/api/v1/proxies"))
                .header("Authorization", "Bearer " + index.apiToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> ids = new ArrayList<>();
        json.readTree(body).forEach(p -> ids.add(p.get("proxyId").asText()));
        return ids;
    }

    private static String readiness(Tapline t) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + t.apiPort + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> kcat(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().toList();
    }
}
