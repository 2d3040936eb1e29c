package dev.tapline.forwarder.grpcview;

import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.EnvRules;
import dev.tapline.forwarder.config.ForwarderSettings;

/**
 * The descriptor sets, loaded once: ForwarderMain loads them before Quarkus starts, so that a bad file stops the
 * start with one line naming GRPC_DESCRIPTOR_SET, and the read API then takes the same methods. Started another way
 * (tests, dev mode) they are loaded at the first read of a capture. Unset, nothing is read or loaded.
 */
public final class GrpcSchemasAtStart {
    private static final Logger LOG = Logger.getLogger(GrpcSchemasAtStart.class);
    private static String loadedFor;
    private static GrpcSchemas loaded;

    private GrpcSchemasAtStart() {
    }

    /** Loads the descriptor sets GRPC_DESCRIPTOR_SET names; the problem when one cannot be used. */
    public static Optional<ConfigProblem> check(Map<String, String> env) {
        String paths = new EnvRules(env).get(ForwarderSettings.GRPC_DESCRIPTOR_SET.env());
        if (paths == null) {
            return Optional.empty();
        }
        try {
            keep(paths, GrpcSchemas.load(paths));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(new ConfigProblem(ForwarderSettings.GRPC_DESCRIPTOR_SET.env(), paths,
                    "comma-separated paths of FileDescriptorSet files (protoc --include_imports"
                            + " --descriptor_set_out); " + e.getMessage()));
        }
    }

    /**
     * The methods of {@code paths}: those loaded at start when it names them, else loaded now; {@link GrpcSchemas#NONE}
     * when unset, or (with a WARN) when the files cannot be loaded any more.
     */
    public static synchronized GrpcSchemas schemas(Optional<String> paths) {
        String p = paths.map(String::trim).orElse("");
        if (p.isEmpty()) {
            return GrpcSchemas.NONE;
        }
        if (!p.equals(loadedFor)) {
            GrpcSchemas schemas;
            try {
                schemas = GrpcSchemas.load(p);
            } catch (IllegalArgumentException e) {
                LOG.warnf("GRPC_DESCRIPTOR_SET=\"%s\" cannot be used, gRPC messages are decoded without it: %s", p,
                        e.getMessage());
                schemas = GrpcSchemas.NONE;
            }
            keep(p, schemas);
        }
        return loaded;
    }

    private static synchronized void keep(String paths, GrpcSchemas schemas) {
        loadedFor = paths;
        loaded = schemas;
    }
}
