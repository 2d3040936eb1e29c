package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.RequestHead;

/** Guards against quadratic behaviour: many small exchanges must decode in one pass. No timing asserts. */
class HttpSnifferPerformanceTest {

    private static final int EXCHANGES = 100_000;
    private static final int BATCH = 50;
    private static final int CHUNK = 1_500;

    @Test
    void hundredThousandKeepAliveExchangesDecodeOnOneConnection() {
        byte[] requests = batch(lines("POST /api/items?id=7 HTTP/1.1", "Host: app", "Content-Type: application/json",
                "Content-Length: 13", "") + "{\"name\":\"x\"}\n");
        byte[] responses = batch(lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "")
                + "7\r\n{\"ok\":1\r\n1\r\n}\r\n0\r\n\r\n");
        long[] counts = new long[3];
        ExchangeListener counter = new ExchangeListener() {
            @Override
            public void onRequest(long sequence, RequestHead head) {
                counts[0]++;
            }

            @Override
            public void onResponse(long sequence, HttpResponseRecord response) {
                counts[1] += response.bodySize();
            }

            @Override
            public void onExchange(HttpExchangeRecord exchange) {
                assertThat(exchange.sequence()).isEqualTo(counts[2]);
                counts[2]++;
            }
        };
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), counter, System::nanoTime);

        for (int i = 0; i < EXCHANGES / BATCH; i++) {
            feedInChunks(requests, sniffer, true);
            feedInChunks(responses, sniffer, false);
        }
        sniffer.onConnectionClosed();

        assertThat(sniffer.gaveUp()).isFalse();
        assertThat(counts[0]).isEqualTo(EXCHANGES);
        assertThat(counts[1]).isEqualTo(8L * EXCHANGES);
        assertThat(counts[2]).isEqualTo(EXCHANGES);
    }

    private static byte[] batch(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = Scenario.bytes(message);
        for (int i = 0; i < BATCH; i++) {
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static void feedInChunks(byte[] data, HttpSniffer sniffer, boolean fromClient) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        for (int from = 0; from < data.length; from += CHUNK) {
            buffer.limit(Math.min(data.length, from + CHUNK)).position(from);
            if (fromClient) {
                sniffer.onClientBytes(buffer);
            } else {
                sniffer.onAppBytes(buffer);
            }
        }
    }
}
