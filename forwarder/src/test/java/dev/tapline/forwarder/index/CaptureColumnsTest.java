package dev.tapline.forwarder.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.Http2Stream;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.TlsInfo;
import dev.tapline.forwarder.ingest.BatchPreparer;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.forwarder.testing.Captures;

/** The indexer's partial read of a protobuf record gives the store the row a full parse gives. */
class CaptureColumnsTest {

    @Test
    void anExchangeWithEverythingGivesTheRowOfAFullParse() throws Exception {
        Capture.Builder c = Captures.exchange("id-1", "proxy-1", "POST", "http://shop.example/orders/42?x=1", 201,
                "{\"id\":42}".getBytes());
        HttpExchange.Builder x = c.getHttp().toBuilder();
        x.setRequest(x.getRequest().toBuilder().setBody(ByteString.copyFromUtf8("{\"n\":1}")).setBodySize(7)
                .setBodyTruncated(true).addTrailers(Captures.header("grpc-status", "0")).setAuthority("shop")
                .setScheme("https"));
        x.setResponse(x.getResponse().toBuilder().setBodySize(90_000).addTrailers(Captures.header("t", "1")));
        x.addInterimResponses(InterimResponse.newBuilder().setStatusCode(100).setReason("Continue"))
                .setHttp2(Http2Stream.newBuilder().setStreamId(3).setReset(true)).setResponseMissing(false);
        c.setHttp(x).setProtocol(L7Protocol.L7_PROTOCOL_HTTP2).setDirection(Direction.DIRECTION_OUTBOUND)
                .setTls(TlsInfo.newBuilder().setVersion("TLSv1.3").setSni("shop.example").setUnwrapped(true));

        assertSameRow(c.build().toByteArray());
    }

    @Test
    void aConnectionRecordGivesTheRowOfAFullParse() throws Exception {
        assertSameRow(Captures.connection("id-2", "proxy-1").build().toByteArray());
    }

    @Test
    void aRequestWithoutResponseAndUnsetFieldsGiveTheRowOfAFullParse() throws Exception {
        assertSameRow(Capture.newBuilder().setId("id-3").setHttp(HttpExchange.newBuilder().setRequest(
                HttpRequest.newBuilder().setMethod("GET").setTarget("/a/0123456789abcdef0123/b"))
                .setResponseMissing(true)).build().toByteArray());
        assertSameRow(Capture.newBuilder().setId("id-4").build().toByteArray());
    }

    @Test
    void unknownFieldsAndFieldsOfAnotherWireTypeAreSkippedAsAFullParseKeepsThemAside() throws Exception {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(Capture.ID_FIELD_NUMBER, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                .addField(Capture.REQUEST_START_UNIX_NANOS_FIELD_NUMBER,
                        UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .addField(99, UnknownFieldSet.Field.newBuilder().addFixed64(1).addFixed32(2).build())
                .build();
        Capture c = Captures.http("", "proxy-1", "/").setRequestStartUnixNanos(0).setUnknownFields(unknown).build();

        assertSameRow(c.toByteArray());
    }

    @Test
    void aMessageFieldThatComesTwiceIsMergedAsAFullParseMergesIt() throws Exception {
        byte[] first = Captures.http("id-5", "proxy-1", "/first").build().toByteArray();
        byte[] second = Capture.newBuilder().setHttp(HttpExchange.newBuilder()
                .setRequest(HttpRequest.newBuilder().setBodySize(5))
                .setResponse(HttpResponse.newBuilder().setStatusCode(503))).build().toByteArray();
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        StoredCapture row = assertSameRow(both);
        assertThat(row.path()).isEqualTo("/first");
        assertThat(row.status()).isEqualTo(503);
    }

    @Test
    void aTruncatedRecordFailsAsAFullParseFails() {
        byte[] whole = Captures.kib("id-6", "proxy-1", Captures.T0).build().toByteArray();
        for (int cut : new int[] { 3, whole.length / 2, whole.length - 1 }) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> Capture.parseFrom(truncated)).isInstanceOf(InvalidProtocolBufferException.class);
            assertThatThrownBy(() -> CaptureColumns.of(truncated)).as("cut at %d", cut)
                    .isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void aDamagedFieldTheColumnsDoNotNeedFailsAsAFullParseFails() throws Exception {
        // a header name that is not UTF-8, deep in the request: the read API could not parse this record later
        Capture.Builder c = Captures.http("id-7", "proxy-1", "/");
        c.getHttpBuilder().getRequestBuilder().addHeaders(Captures.header("N@M@", "v"));
        byte[] record = c.build().toByteArray();
        int at = indexOf(record, "N@M@".getBytes());
        record[at + 1] = (byte) 0xFF;
        record[at + 3] = (byte) 0xFE;
        byte[] badUtf8 = record;
        assertThatThrownBy(() -> Capture.parseFrom(badUtf8)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> CaptureColumns.of(badUtf8)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("UTF-8");

        // a TLS message whose only field claims more bytes than the message holds
        byte[] badTls = Captures.http("id-8", "proxy-1", "/").setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(Capture.TLS_FIELD_NUMBER, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFrom(new byte[] { 0x0A, 0x05, 'a' })).build())
                .build()).build().toByteArray();
        assertThatThrownBy(() -> Capture.parseFrom(badTls)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> CaptureColumns.of(badTls)).isInstanceOf(InvalidProtocolBufferException.class);

        // the same fields whole are skipped and give the row of a full parse
        assertSameRow(Captures.http("id-9", "proxy-1", "/").setTls(TlsInfo.newBuilder().setSni("é.example"))
                .build().toByteArray());
    }

    private static int indexOf(byte[] in, byte[] what) {
        for (int i = 0; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static StoredCapture assertSameRow(byte[] record) throws Exception {
        StoredCapture full = BatchPreparer.row(Capture.parseFrom(record), record, "app", "pod", "c", Captures.T0);
        StoredCapture partial = BatchPreparer.row(CaptureColumns.of(record), record, "app", "pod", "c", Captures.T0);
        assertThat(partial).isEqualTo(full);
        return partial;
    }
}
