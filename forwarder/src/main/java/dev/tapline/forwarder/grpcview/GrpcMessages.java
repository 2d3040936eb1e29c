package dev.tapline.forwarder.grpcview;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Splits one direction's body into its gRPC messages: each is a 1-byte compressed flag, a 4-byte big-endian
 * length and the message (gRPC over HTTP/2, "Length-Prefixed-Message"). Compressed messages are inflated with
 * the direction's {@code grpc-encoding} (gzip or deflate) for display, up to {@link #MAX_INFLATED_BYTES}.
 */
public final class GrpcMessages {
    /** Most bytes one message may inflate to here; a bigger one is shown without json. */
    public static final int MAX_INFLATED_BYTES = 4 * 1024 * 1024;
    private static final int PREFIX = 5;

    private GrpcMessages() {
    }

    /**
     * @param body      the captured body (possibly cut by the capture cap)
     * @param truncated whether the capture cap cut the body
     * @param encoding  the direction's {@code grpc-encoding}, or null
     */
    public static List<GrpcMessage> split(byte[] body, boolean truncated, String encoding) {
        return split(body, truncated, encoding, null);
    }

    /**
     * @param body      the captured body (possibly cut by the capture cap)
     * @param truncated whether the capture cap cut the body
     * @param encoding  the direction's {@code grpc-encoding}, or null
     * @param type      the messages' type from a descriptor set, or null to decode them without a schema
     */
    static List<GrpcMessage> split(byte[] body, boolean truncated, String encoding, TypedProtobuf type) {
        List<GrpcMessage> out = new ArrayList<>();
        int at = 0;
        while (body.length - at >= PREFIX) {
            boolean compressed = body[at] == 1;
            long length = ((body[at + 1] & 0xFFL) << 24) | ((body[at + 2] & 0xFF) << 16) | ((body[at + 3] & 0xFF) << 8)
                    | (body[at + 4] & 0xFF);
            at += PREFIX;
            if (length > body.length - at) {
                out.add(new GrpcMessage(length, compressed, null, true, null, null));
                return out;
            }
            byte[] message = java.util.Arrays.copyOfRange(body, at, at + (int) length);
            at += (int) length;
            out.add(decoded(length, compressed, message, encoding, type));
        }
        if (at < body.length && truncated) {
            out.add(new GrpcMessage(-1, false, null, true, null, null)); // the cap cut the next prefix itself
        }
        return out;
    }

    private static GrpcMessage decoded(long length, boolean compressed, byte[] message, String encoding,
            TypedProtobuf type) {
        byte[] plain = message;
        if (compressed) {
            plain = inflate(message, encoding);
            if (plain == null) {
                return new GrpcMessage(length, true, null, false, null, null);
            }
        }
        ObjectNode typed = type == null ? null : type.decode(plain);
        if (typed != null) {
            return new GrpcMessage(length, compressed, typed, false, null, type.name());
        }
        ObjectNode json = SchemalessProtobuf.decode(plain);
        return new GrpcMessage(length, compressed, json, false,
                json == null ? Base64.getEncoder().encodeToString(plain) : null, null);
    }

    /** The inflated bytes, or null for an unknown codec, corrupt data or more than {@link #MAX_INFLATED_BYTES}. */
    static byte[] inflate(byte[] message, String encoding) {
        if (encoding == null) {
            return null;
        }
        try (InputStream in = switch (encoding.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(message));
            case "deflate" -> new InflaterInputStream(new java.io.ByteArrayInputStream(message));
            default -> null;
        }) {
            if (in == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) > 0;) {
                out.write(chunk, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }
}
