package dev.tapline.forwarder.testing;

import java.nio.file.Path;
import java.util.Map;

import dev.tapline.capture.v1.ForwarderProto;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder with GRPC_DESCRIPTOR_SET naming a descriptor set of the contract's own forwarder.proto. */
public class GrpcDescriptorSetProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String dir = TempDirs.create("grpc-types");
        Path set = DescriptorSets.write(Path.of(dir, "forwarder.pb"), ForwarderProto.getDescriptor());
        return Map.of("forwarder.grpc-descriptor-set", set.toString(), "forwarder.data-dir", dir);
    }
}
