package dev.tapline.goproxy.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.tapline.capture.v1.HeartbeatRequest;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;

/**
 * A real gRPC service for capture tests, {@code test.Echo}, its messages being the contract's
 * {@link HeartbeatRequest} (any message would do; this one is at hand on both sides):
 * <ul>
 * <li>{@code Unary}: answers the request with {@code proxy_id} "echo:" + the request's; gzip-compressed when the
 * request's {@code sent_at_unix_nanos} is 1</li>
 * <li>{@code Stream}: answers three messages, {@code proxy_id} + "-0", "-1", "-2"</li>
 * <li>{@code Fail}: NOT_FOUND "no such proxy: " + {@code proxy_id} (a trailers-only answer)</li>
 * </ul>
 */
public final class GrpcEcho {
    public static final String SERVICE = "test.Echo";
    public static final MethodDescriptor.Marshaller<HeartbeatRequest> MESSAGES =
            io.grpc.protobuf.ProtoUtils.marshaller(HeartbeatRequest.getDefaultInstance());
    public static final MethodDescriptor<HeartbeatRequest, HeartbeatRequest> UNARY = method("Unary",
            MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<HeartbeatRequest, HeartbeatRequest> STREAM = method("Stream",
            MethodDescriptor.MethodType.SERVER_STREAMING);
    public static final MethodDescriptor<HeartbeatRequest, HeartbeatRequest> FAIL = method("Fail",
            MethodDescriptor.MethodType.UNARY);

    private GrpcEcho() {
    }

    private static MethodDescriptor<HeartbeatRequest, HeartbeatRequest> method(String name,
            MethodDescriptor.MethodType type) {
        return MethodDescriptor.<HeartbeatRequest, HeartbeatRequest>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(MESSAGES).setResponseMarshaller(MESSAGES).build();
    }

    public static HeartbeatRequest msg(String id) {
        return HeartbeatRequest.newBuilder().setProxyId(id).build();
    }

    public static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (req.getSentAtUnixNanos() == 1) { // "answer compressed"
                        ((ServerCallStreamObserver<HeartbeatRequest>) out).setCompression("gzip");
                    }
                    out.onNext(req.toBuilder().setProxyId("echo:" + req.getProxyId()).build());
                    out.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    for (int i = 0; i < 3; i++) {
                        out.onNext(msg(req.getProxyId() + "-" + i));
                    }
                    out.onCompleted();
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((req, out) -> out.onError(
                        Status.NOT_FOUND.withDescription("no such proxy: " + req.getProxyId()).asRuntimeException())))
                .build();
    }

    /** The gRPC messages of a captured body, each with its 5-byte prefix (compressed flag, 4-byte length). */
    public static List<byte[]> messages(byte[] body) {
        List<byte[]> out = new ArrayList<>();
        for (int at = 0; at + 5 <= body.length;) {
            int length = ((body[at + 1] & 0xFF) << 24) | ((body[at + 2] & 0xFF) << 16) | ((body[at + 3] & 0xFF) << 8)
                    | (body[at + 4] & 0xFF);
            out.add(Arrays.copyOfRange(body, at, at + 5 + length));
            at += 5 + length;
        }
        return out;
    }

    /** An uncompressed message of a captured body, without its prefix, parsed. */
    public static HeartbeatRequest parse(byte[] prefixed) throws InvalidProtocolBufferException {
        return HeartbeatRequest.parseFrom(Arrays.copyOfRange(prefixed, 5, prefixed.length));
    }
}
