package dev.tapline.goproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.goproxy.support.BackendResource;
import dev.tapline.goproxy.support.HttpBackend;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** goproxy in full: relay, decoder, queue and uploader against a real gRPC forwarder and a real app. */
@QuarkusTest
@QuarkusTestResource(BackendResource.class)
class CaptureEndToEndTest {

    @Inject
    GoproxyLifecycle lifecycle;

    private List<Capture> capturesFor(String pathPrefix) {
        return BackendResource.forwarder().stored.values().stream()
                .filter(c -> c.hasHttp() && c.getHttp().getRequest().getTarget().startsWith(pathPrefix))
                .sorted(Comparator.comparingLong(Capture::getSequence)).toList();
    }

    @Test
    void everyKeepAliveExchangeArrivesCompleteAndInOrder() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + lifecycle.relay().port() + "/keepalive/" + i))
                    .header("X-Trace", "t-" + i).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo(HttpBackend.BODY);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> capturesFor("/keepalive/").size() == 20);
        List<Capture> captures = capturesFor("/keepalive/");
        assertThat(captures).extracting(Capture::getCid).containsOnly(captures.get(0).getCid()); // one connection
        for (int i = 0; i < 20; i++) {
            Capture c = captures.get(i);
            assertThat(c.getSequence()).isEqualTo(i);
            assertThat(c.getProtocol()).isEqualTo(L7Protocol.L7_PROTOCOL_HTTP1);
            assertThat(c.getHttp().getRequest().getMethod()).isEqualTo("GET");
            assertThat(c.getHttp().getRequest().getTarget()).isEqualTo("/keepalive/" + i);
            assertThat(c.getHttp().getRequest().getHeadersList()).contains(Header.newBuilder().setName("X-Trace").setValue("t-" + i).build());
            assertThat(c.getHttp().getResponse().getStatusCode()).isEqualTo(200);
            assertThat(c.getHttp().getResponse().getBody().toStringUtf8()).isEqualTo(HttpBackend.BODY);
            assertThat(c.getHttp().getResponse().getBodySize()).isEqualTo(HttpBackend.BODY.length());
            assertThat(c.getHttp().getResponseMissing()).isFalse();
            assertThat(c.getResponseEndUnixNanos()).isGreaterThanOrEqualTo(c.getRequestStartUnixNanos()).isPositive();
            assertThat(c.getClientAddr()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void aNonHttpConnectionBecomesAConnectionRecord() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), lifecycle.relay().port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x00, 0x01, 0x02, 'n', 'o', 't', ' ', 'h', 't', 't', 'p', '\n'});
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            in.readAllBytes();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> BackendResource.forwarder().stored.values().stream()
                .anyMatch(c -> c.hasConnection() && c.getConnection().getBytesClientToApp() == 12));
        Capture c = BackendResource.forwarder().stored.values().stream()
                .filter(x -> x.hasConnection() && x.getConnection().getBytesClientToApp() == 12).findFirst().orElseThrow();
        assertThat(c.getProtocol()).isEqualTo(L7Protocol.L7_PROTOCOL_TCP);
        assertThat(c.getConnection().getDurationNs()).isPositive();
    }

    @Test
    void malformedHttpIsStillRelayedUnchangedAndTheGiveUpIsCounted() throws Exception {
        double before = giveUps();
        String request = "GET /malformed HTTP/1.1\r\nHost: x\r\nthis line has no colon\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), lifecycle.relay().port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).endsWith("\r\n\r\n" + HttpBackend.BODY);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> giveUps() == before + 1);
    }

    private static double giveUps() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("goproxy_decoder_giveups_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void theBytesTheClientGetsThroughGoproxyAreTheAppsBytes() throws Exception {
        String request = "GET /raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), lifecycle.relay().port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n" + HttpBackend.BODY);
        }
    }
}
