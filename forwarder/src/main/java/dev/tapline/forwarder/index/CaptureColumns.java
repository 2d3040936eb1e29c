package dev.tapline.forwarder.index;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ConnectionSummary;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;

/**
 * Reads from a protobuf captures-topic record only the fields the store's columns and facets are made of
 * ({@link dev.tapline.forwarder.ingest.BatchPreparer#row}): a {@code Capture} without headers, trailers, bodies,
 * addresses or TLS. The record itself is stored as it came; parsing all of it only to throw most away cost twice
 * this, 2.0 against 0.95 us per small capture with the row made (docs/benchmarks/2026-12-04-indexer-4.md, measured
 * before the skipped fields were checked). The fields skipped are still checked as a full parse checks them (nested
 * messages walked, strings valid UTF-8), without building them: a record stored here is one the read API can
 * parse, whoever published it (a damaged one would fail every page of captures that holds it).
 *
 * <pre>
 *   Capture: 1 id, 2 proxy_id, 5 protocol, 6 direction, 9 request_start, 10 response_end,
 *            11 http { 1 request { 1 method, 2 target, 6 body_size }, 2 response { 1 status_code, 6 body_size } },
 *            12 connection { 2 bytes_client_to_app, 3 bytes_app_to_client }          other fields: skipped
 * </pre>
 *
 * A field of the wrong wire type is skipped, as a full parse keeps it aside as unknown. A record a full parse
 * refuses (truncated, a length past its end, a damaged nested message, a string that is not UTF-8) fails here too,
 * and is skipped.
 */
final class CaptureColumns {
    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int BYTES = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private CaptureColumns() {
    }

    static Capture of(byte[] record) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(record); // positions in it are positions in record
        Capture.Builder c = Capture.newBuilder();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (field(tag)) {
                case Capture.ID_FIELD_NUMBER -> c.setId(in.readStringRequireUtf8());
                case Capture.PROXY_ID_FIELD_NUMBER -> c.setProxyId(in.readStringRequireUtf8());
                case Capture.PROTOCOL_FIELD_NUMBER -> c.setProtocolValue(in.readEnum());
                case Capture.DIRECTION_FIELD_NUMBER -> c.setDirectionValue(in.readEnum());
                case Capture.REQUEST_START_UNIX_NANOS_FIELD_NUMBER -> c.setRequestStartUnixNanos(in.readInt64());
                case Capture.RESPONSE_END_UNIX_NANOS_FIELD_NUMBER -> c.setResponseEndUnixNanos(in.readInt64());
                case Capture.HTTP_FIELD_NUMBER -> c.mergeHttp(http(in, record));
                case Capture.CONNECTION_FIELD_NUMBER -> c.mergeConnection(connection(in, record));
                default -> skipChecked(in, record, tag, Capture.getDescriptor());
            }
        }
        return c.build();
    }

    /** Reads the field of {@code tag} when it is one of those wanted; false: skip it. */
    @FunctionalInterface
    private interface Fields {
        boolean read(int tag) throws IOException;
    }

    /** Reads an embedded message of {@code type}, the fields {@code wanted} takes, checking and skipping the others. */
    private static void message(CodedInputStream in, byte[] record, Descriptor type, Fields wanted) throws IOException {
        int outer = in.pushLimit(length(in));
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (!wanted.read(tag)) {
                skipChecked(in, record, tag, type);
            }
        }
        in.popLimit(outer);
    }

    /**
     * Skips a field of a message of {@code type}, failing where a full parse would: an embedded message is walked
     * field by field, a string's bytes must be UTF-8 (checked where they lie, not decoded); bytes, numbers and
     * unknown fields are skipped unread.
     */
    private static void skipChecked(CodedInputStream in, byte[] record, int tag, Descriptor type) throws IOException {
        FieldDescriptor f = WireFormat.getTagWireType(tag) == BYTES
                ? type.findFieldByNumber(WireFormat.getTagFieldNumber(tag)) : null;
        if (f != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            message(in, record, f.getMessageType(), t -> false);
        } else if (f != null && f.getType() == FieldDescriptor.Type.STRING) {
            int length = length(in);
            int at = in.getTotalBytesRead();
            in.skipRawBytes(length); // fails past the message's end, so the bytes checked below are the string's
            if (!UnsafeByteOperations.unsafeWrap(record, at, length).isValidUtf8()) {
                throw new InvalidProtocolBufferException("field " + f.getFullName() + " is not valid UTF-8");
            }
        } else {
            skip(in, tag);
        }
    }

    private static HttpExchange http(CodedInputStream in, byte[] record) throws IOException {
        // a field that appears twice is merged into what came before, as a full parse merges it
        HttpRequest.Builder q = HttpRequest.newBuilder();
        HttpResponse.Builder r = HttpResponse.newBuilder();
        boolean[] seen = new boolean[2];
        message(in, record, HttpExchange.getDescriptor(), tag -> {
            if (tag == tag(HttpExchange.REQUEST_FIELD_NUMBER, BYTES)) {
                message(in, record, HttpRequest.getDescriptor(), t -> request(in, t, q));
                return seen[0] = true;
            } else if (tag == tag(HttpExchange.RESPONSE_FIELD_NUMBER, BYTES)) {
                message(in, record, HttpResponse.getDescriptor(), t -> response(in, t, r));
                return seen[1] = true;
            }
            return false;
        });
        HttpExchange.Builder x = HttpExchange.newBuilder();
        if (seen[0]) {
            x.setRequest(q);
        }
        if (seen[1]) {
            x.setResponse(r);
        }
        return x.build();
    }

    private static boolean request(CodedInputStream in, int tag, HttpRequest.Builder q) throws IOException {
        if (tag == tag(HttpRequest.METHOD_FIELD_NUMBER, BYTES)) {
            q.setMethod(in.readStringRequireUtf8());
        } else if (tag == tag(HttpRequest.TARGET_FIELD_NUMBER, BYTES)) {
            q.setTarget(in.readStringRequireUtf8());
        } else if (tag == tag(HttpRequest.BODY_SIZE_FIELD_NUMBER, VARINT)) {
            q.setBodySize(in.readUInt64());
        } else {
            return false;
        }
        return true;
    }

    private static boolean response(CodedInputStream in, int tag, HttpResponse.Builder r) throws IOException {
        if (tag == tag(HttpResponse.STATUS_CODE_FIELD_NUMBER, VARINT)) {
            r.setStatusCode(in.readUInt32());
        } else if (tag == tag(HttpResponse.BODY_SIZE_FIELD_NUMBER, VARINT)) {
            r.setBodySize(in.readUInt64());
        } else {
            return false;
        }
        return true;
    }

    private static ConnectionSummary connection(CodedInputStream in, byte[] record) throws IOException {
        ConnectionSummary.Builder s = ConnectionSummary.newBuilder();
        message(in, record, ConnectionSummary.getDescriptor(), tag -> {
            if (tag == tag(ConnectionSummary.BYTES_CLIENT_TO_APP_FIELD_NUMBER, VARINT)) {
                s.setBytesClientToApp(in.readUInt64());
            } else if (tag == tag(ConnectionSummary.BYTES_APP_TO_CLIENT_FIELD_NUMBER, VARINT)) {
                s.setBytesAppToClient(in.readUInt64());
            } else {
                return false;
            }
            return true;
        });
        return s.build();
    }

    /** The field number of a top-level tag whose wire type is the field's; 0 (skip it) when it is not. */
    private static int field(int tag) {
        int number = WireFormat.getTagFieldNumber(tag);
        int wire = WireFormat.getTagWireType(tag);
        return switch (number) {
            case Capture.ID_FIELD_NUMBER, Capture.PROXY_ID_FIELD_NUMBER, Capture.HTTP_FIELD_NUMBER,
                    Capture.CONNECTION_FIELD_NUMBER -> wire == BYTES ? number : 0;
            case Capture.PROTOCOL_FIELD_NUMBER, Capture.DIRECTION_FIELD_NUMBER,
                    Capture.REQUEST_START_UNIX_NANOS_FIELD_NUMBER, Capture.RESPONSE_END_UNIX_NANOS_FIELD_NUMBER ->
                wire == VARINT ? number : 0;
            default -> 0;
        };
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("an end-group tag outside of a group");
        }
    }

    private static int length(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) {
            throw new InvalidProtocolBufferException("negative length");
        }
        return length;
    }

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }
}
