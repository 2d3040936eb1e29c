package dev.tapline.forwarder.grpcview;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One gRPC message of a call as the read API shows it.
 *
 * @param sizeBytes  the length its 5-byte prefix announced (compressed size when compressed)
 * @param compressed the prefix's compressed flag was set ({@code grpc-encoding} names the codec)
 * @param json       the message decoded with its type ({@code type} set, see {@link TypedProtobuf}) or else
 *                   without a schema (see {@link SchemalessProtobuf}); absent when its bytes
 *                   were cut by the capture cap, could not be decompressed, or are not protobuf
 * @param truncated  the capture cap cut this message
 * @param base64     the raw message bytes (after decompression) when they are not protobuf
 * @param type       the full protobuf message name when {@code json} was decoded with that type from
 *                   GRPC_DESCRIPTOR_SET (field names, enum names); absent for the schema-less decode
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrpcMessage(long sizeBytes, boolean compressed, JsonNode json, boolean truncated, String base64,
        String type) {
}
