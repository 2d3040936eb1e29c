package dev.tapline.forwarder.grpcview;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * A protobuf message decoded with its type from a descriptor set, as protobuf's JSON mapping prints it (field
 * names in lowerCamelCase, enum value names, 64-bit integers as strings). The bytes count as that type only when
 * they parse and every field they hold is one the type declares: a field the type does not know (another version
 * of the {@code .proto}, or not this type at all) would be dropped from the print, so such a message is left to
 * the schema-less decode, which shows everything.
 */
final class TypedProtobuf {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Descriptor type;
    private final JsonFormat.Printer printer;

    TypedProtobuf(Descriptor type, JsonFormat.Printer printer) {
        this.type = type;
        this.printer = printer;
    }

    /** The full message name, e.g. {@code shop.v1.AddItemRequest}. */
    String name() {
        return type.getFullName();
    }

    /** The message as a JSON object, or null when the bytes are not this type. */
    ObjectNode decode(byte[] bytes) {
        try {
            DynamicMessage m = DynamicMessage.parseFrom(type, bytes);
            if (!allFieldsKnown(m)) {
                return null;
            }
            JsonNode json = JSON.readTree(printer.print(m));
            return json instanceof ObjectNode o ? o : null;
        } catch (InvalidProtocolBufferException | JsonProcessingException | RuntimeException e) {
            // not this type, or an Any whose type the descriptor sets do not hold
            return null;
        }
    }

    private static boolean allFieldsKnown(Message m) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            return false;
        }
        for (var field : m.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            List<?> values = field.getKey().isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
            for (Object v : values) {
                if (!allFieldsKnown((Message) v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
