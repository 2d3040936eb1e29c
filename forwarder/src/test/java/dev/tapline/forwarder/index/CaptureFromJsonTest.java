package dev.tapline.forwarder.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Header;
import dev.tapline.forwarder.api.CaptureView;
import dev.tapline.forwarder.ingest.BatchPreparer;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.forwarder.testing.Captures;

/** The indexer's inverse of the read API's JSON: viewing what it rebuilt gives the same JSON again. */
class CaptureFromJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anExchangeRebuiltFromItsJsonViewsTheSame() throws Exception {
        Capture c = Captures.http("id-1", "proxy-1", "/orders?id=7").setCid(42).setSequence(3)
                .setResponseEndUnixNanos(Captures.T0 + 1_234_567).build();
        String viewed = viewed(c);

        Capture rebuilt = CaptureFromJson.capture(json.readValue(viewed, CaptureView.class));

        assertThat(viewed(rebuilt)).isEqualTo(viewed);
        assertThat(rebuilt.getHttp().getRequest().getTarget()).isEqualTo("/orders?id=7");
        assertThat(rebuilt.getHttp().getResponse().getBody()).isEqualTo(c.getHttp().getResponse().getBody());
    }

    @Test
    void headersComeBackGroupedByNameInTheirOrder() throws Exception {
        Capture c = Captures.http("id-2", "proxy-1", "/").build();
        Capture interleaved = c.toBuilder().setHttp(c.getHttp().toBuilder().setRequest(c.getHttp().getRequest()
                .toBuilder().clearHeaders().addHeaders(h("a", "1")).addHeaders(h("b", "2")).addHeaders(h("a", "3"))))
                .build();

        Capture rebuilt = CaptureFromJson.capture(json.readValue(viewed(interleaved), CaptureView.class));

        assertThat(rebuilt.getHttp().getRequest().getHeadersList()).containsExactly(h("a", "1"), h("a", "3"), h("b", "2"));
    }

    @Test
    void aConnectionRecordRoundTrips() throws Exception {
        Capture c = Captures.connection("id-3", "proxy-1").build();
        String viewed = viewed(c);
        assertThat(viewed(CaptureFromJson.capture(json.readValue(viewed, CaptureView.class)))).isEqualTo(viewed);
    }

    private String viewed(Capture c) throws Exception {
        StoredCapture row = BatchPreparer.row(c, "app", "pod", "cluster", Captures.T0);
        return json.writeValueAsString(CaptureView.of(row));
    }

    private static Header h(String name, String value) {
        return Header.newBuilder().setName(name).setValue(value).build();
    }
}
