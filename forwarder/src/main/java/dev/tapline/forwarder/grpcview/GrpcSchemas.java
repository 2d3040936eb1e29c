package dev.tapline.forwarder.grpcview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/**
 * The gRPC methods of the descriptor sets GRPC_DESCRIPTOR_SET names ({@code protoc --include_imports
 * --descriptor_set_out=...}), by {@code :path} ({@code /pkg.Service/Method}), each with its input and output type.
 * {@link #NONE} knows no method: every message is then decoded without a schema.
 */
public final class GrpcSchemas {
    public static final GrpcSchemas NONE = new GrpcSchemas(Map.of());

    /** A method's request and response types. */
    record Method(TypedProtobuf input, TypedProtobuf output) {
    }

    private final Map<String, Method> methods;

    private GrpcSchemas(Map<String, Method> methods) {
        this.methods = methods;
    }

    /** The method of a call's {@code :path}, or null when no descriptor set declares it. */
    Method method(String path) {
        return methods.get(path);
    }

    /** How many methods the sets declare. */
    public int size() {
        return methods.size();
    }

    /**
     * Loads the descriptor sets of a comma-separated list of paths.
     *
     * @throws IllegalArgumentException naming the path and its problem: unreadable, not a FileDescriptorSet, or a
     *                                  file whose imports the sets do not hold (made without --include_imports)
     */
    public static GrpcSchemas load(String paths) {
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        for (String p : paths.split(",")) {
            if (!p.isBlank()) {
                read(Path.of(p.trim())).forEach(f -> protos.putIfAbsent(f.getName(), f));
            }
        }
        Map<String, FileDescriptor> built = new HashMap<>();
        List<FileDescriptor> files = new ArrayList<>();
        for (String name : protos.keySet()) {
            files.add(build(name, protos, built, new ArrayList<>()));
        }
        JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
        files.forEach(f -> f.getMessageTypes().forEach(types::add));
        JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(types.build())
                .omittingInsignificantWhitespace();
        Map<String, Method> methods = new HashMap<>();
        for (FileDescriptor f : files) {
            for (ServiceDescriptor s : f.getServices()) {
                for (MethodDescriptor m : s.getMethods()) {
                    methods.put("/" + s.getFullName() + "/" + m.getName(), new Method(
                            new TypedProtobuf(m.getInputType(), printer), new TypedProtobuf(m.getOutputType(), printer)));
                }
            }
        }
        return new GrpcSchemas(Map.copyOf(methods));
    }

    private static List<FileDescriptorProto> read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read it (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            List<FileDescriptorProto> files = FileDescriptorSet.parseFrom(bytes).getFileList();
            if (files.isEmpty() || files.stream().anyMatch(f -> f.getName().isEmpty())) {
                throw new InvalidProtocolBufferException("it holds no named .proto file");
            }
            return files;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(path + ": not a FileDescriptorSet (" + e.getMessage() + ")", e);
        }
    }

    /** Builds a file after the files it imports (a descriptor set lists them in that order, but need not). */
    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, FileDescriptor> built, List<String> importing) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            throw new IllegalArgumentException(importing.get(importing.size() - 1) + " imports " + name
                    + ", which no descriptor set holds (make them with protoc --include_imports)");
        }
        if (importing.contains(name)) {
            throw new IllegalArgumentException(name + " imports itself through " + importing);
        }
        importing.add(name);
        List<FileDescriptor> deps = new ArrayList<>();
        for (String dep : proto.getDependencyList()) {
            deps.add(build(dep, protos, built, importing));
        }
        importing.remove(importing.size() - 1);
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
            built.put(name, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
