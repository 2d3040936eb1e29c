package dev.tapline.goproxy.capture.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HeaderBlock;
import dev.tapline.goproxy.capture.HttpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/** A header block through Netty's HPACK encoder and goproxy's decoder (Netty's, filling flat blocks), then into the capture's fields. */
class RegularFieldsTest {

    private static Http2Headers throughHpack(Http2Headers sent) throws Exception {
        ByteBuf wire = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder().encodeHeaders(1, sent, wire);
        Http2Headers received = FlatHeaders.decoder(65_536).decodeHeaders(1, wire);
        wire.release();
        return received;
    }

    @Test
    void regularFieldsInOrderWithDuplicatesAsOneBlockAndTheSameStringsAsHpacksOwn() throws Exception {
        // a value byte above 0x7F (obs-text): read back as the ISO-8859-1 char, as AsciiString.toString() does
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        Http2Headers received = throughHpack(new DefaultHttp2Headers().status("200").add("set-cookie", "a=1")
                .add("x-name", new AsciiString(latin1)).add("set-cookie", "b=2").add("content-length", "13"));

        List<HttpHeader> fields = RegularFields.of(received);

        assertThat(fields).isInstanceOf(HeaderBlock.class);
        assertThat(fields).containsExactly(new HttpHeader("set-cookie", "a=1"), new HttpHeader("x-name", "caf\u00e9"),
                new HttpHeader("set-cookie", "b=2"), new HttpHeader("content-length", "13"));
        assertThat(received.status()).hasToString("200");
        assertThat(received.get("set-cookie")).hasToString("a=1");
    }

    @Test
    void onlyPseudoHeaderFieldsMakeAnEmptyList() throws Exception {
        Http2Headers received = throughHpack(new DefaultHttp2Headers().method("GET").path("/p?q").scheme("http")
                .authority("app:80"));

        assertThat(RegularFields.of(received)).isEmpty();
        assertThat(received.method()).hasToString("GET");
        assertThat(received.path()).hasToString("/p?q");
        assertThat(received.scheme()).hasToString("http");
        assertThat(received.authority()).hasToString("app:80");
        assertThat(received.status()).isNull();
        assertThat(RegularFields.budgetBytes(received)).isEqualTo(":method".length() + 3 + ":path".length() + 4
                + ":scheme".length() + 4 + ":authority".length() + 6 + 4L * ConnectionBudget.FIELD_OVERHEAD);
    }

    @Test
    void fieldsNotFromHpackAreTakenAsTheirStrings() {
        Http2Headers built = new DefaultHttp2Headers().status("204").add("x-built", "in code");

        assertThat(RegularFields.of(built)).containsExactly(new HttpHeader("x-built", "in code"));
    }
}
