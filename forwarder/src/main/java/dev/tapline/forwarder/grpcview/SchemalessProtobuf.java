package dev.tapline.forwarder.grpcview;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A protobuf message as JSON without its {@code .proto}, the way {@code protoc --decode_raw} reads one: keys are
 * field numbers, a field seen more than once becomes an array. Varints are unsigned numbers, fixed32/fixed64
 * unsigned numbers; a length-delimited field is a nested message when its bytes parse as one, else a string when
 * they are valid UTF-8, else base64. Only the wire format is known, so the reading is a guess: a short text can
 * also parse as a message, and sint/float fields show as their raw bits.
 */
public final class SchemalessProtobuf {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 32;

    private SchemalessProtobuf() {
    }

    /** The message as a JSON object, or null when the bytes are not a protobuf message. */
    public static ObjectNode decode(byte[] bytes) {
        return message(bytes, 0, bytes.length, 0);
    }

    private static ObjectNode message(byte[] b, int start, int end, int depth) {
        ObjectNode out = JSON.objectNode();
        int[] at = {start};
        while (at[0] < end) {
            long tag = varint(b, at, end);
            if (tag < 0 || tag > 0xFFFF_FFFFL) {
                return null;
            }
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                return null;
            }
            JsonNode value;
            switch (wireType) {
                case 0 -> {
                    long v = varint(b, at, end);
                    if (v == -1 && at[0] < 0) {
                        return null;
                    }
                    value = unsigned(v);
                }
                case 1 -> {
                    if (end - at[0] < 8) {
                        return null;
                    }
                    value = unsigned(ByteBuffer.wrap(b, at[0], 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
                    at[0] += 8;
                }
                case 5 -> {
                    if (end - at[0] < 4) {
                        return null;
                    }
                    value = JSON.numberNode(Integer.toUnsignedLong(
                            ByteBuffer.wrap(b, at[0], 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()));
                    at[0] += 4;
                }
                case 2 -> {
                    long length = varint(b, at, end);
                    if (at[0] < 0 || length < 0 || length > end - at[0]) {
                        return null;
                    }
                    value = lengthDelimited(b, at[0], at[0] + (int) length, depth);
                    at[0] += (int) length;
                }
                default -> {
                    return null; // groups (3, 4) are deprecated; 6 and 7 do not exist
                }
            }
            if (at[0] < 0) {
                return null;
            }
            add(out, Integer.toString(field), value);
        }
        return out;
    }

    private static JsonNode lengthDelimited(byte[] b, int start, int end, int depth) {
        if (start == end) {
            return JSON.textNode("");
        }
        if (depth < MAX_DEPTH) {
            ObjectNode nested = message(b, start, end, depth + 1);
            if (nested != null) {
                return nested;
            }
        }
        String text = utf8(b, start, end);
        if (text != null) {
            return JSON.textNode(text);
        }
        return JSON.textNode(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(b, start, end)));
    }

    private static void add(ObjectNode out, String key, JsonNode value) {
        JsonNode existing = out.get(key);
        if (existing == null) {
            out.set(key, value);
        } else if (existing instanceof ArrayNode array) {
            array.add(value);
        } else {
            out.putArray(key).add(existing).add(value);
        }
    }

    /** Reads a varint at {@code at[0]}; on malformed input sets {@code at[0]} to -1 and returns -1. */
    private static long varint(byte[] b, int[] at, int end) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= end) {
                at[0] = -1;
                return -1;
            }
            byte x = b[at[0]++];
            result |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return result;
            }
        }
        at[0] = -1;
        return -1;
    }

    private static JsonNode unsigned(long v) {
        return v >= 0 ? JSON.numberNode(v) : JSON.numberNode(new BigInteger(Long.toUnsignedString(v)));
    }

    static String utf8(byte[] b, int start, int end) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
