package dev.tapline.deploy.image;

import java.nio.file.Path;
import java.util.Map;

import dev.tapline.deploy.Command;
import dev.tapline.deploy.RepoPaths;

/**
 * A real registry for the test, started and stopped by the scripts users run (deploy/registry/*.sh): Debian's
 * docker-registry on 127.0.0.1 and a free port, its blobs under {@code dir}.
 */
final class LocalRegistry implements AutoCloseable {
    private final int port;
    private final Map<String, String> env;
    private final Path logs;

    private LocalRegistry(int port, Path dir, Path logs) {
        this.port = port;
        this.env = Map.of("REGISTRY_DIR", dir.toString());
        this.logs = logs;
    }

    static LocalRegistry start(int port, Path dir, Path logs) {
        LocalRegistry registry = new LocalRegistry(port, dir, logs);
        Command.of(script("start-registry.sh"), Integer.toString(port)).env(registry.env)
                .run(logs.resolve("registry-start.log")).ok();
        return registry;
    }

    /** host:port, as image names and quarkus.container-image.registry take it. */
    String address() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        Command.of(script("stop-registry.sh")).env(env).run(logs.resolve("registry-stop.log"));
    }

    private static String script(String name) {
        return RepoPaths.deploy().resolve("registry").resolve(name).toString();
    }
}
