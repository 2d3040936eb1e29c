package dev.tapline.forwarder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * Writes what {@code protoc --include_imports --descriptor_set_out} writes for a compiled {@code .proto}: the file's
 * descriptor and those of everything it imports, imports first. The descriptors are the ones protoc embedded in
 * the generated classes.
 */
public final class DescriptorSets {
    private DescriptorSets() {
    }

    public static Path write(Path file, FileDescriptor proto) {
        Map<String, FileDescriptor> files = new LinkedHashMap<>();
        withImports(proto, files);
        FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
        files.values().forEach(f -> set.addFile(f.toProto()));
        try {
            return Files.write(file, set.build().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void withImports(FileDescriptor f, Map<String, FileDescriptor> out) {
        if (!out.containsKey(f.getName())) {
            f.getDependencies().forEach(d -> withImports(d, out));
            out.put(f.getName(), f);
        }
    }
}
