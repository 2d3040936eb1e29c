package dev.tapline.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are in the checkout: the root comes from Surefire ({@code tapline.root}, set in deploy/pom.xml). */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        String root = System.getProperty("tapline.root");
        Path path = root != null ? Path.of(root) : Path.of("..");
        path = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path.resolve("mvnw"))) {
            throw new IllegalStateException("not the repository root (no mvnw): " + path);
        }
        return path;
    }

    public static Path deploy() {
        return root().resolve("deploy");
    }

    public static Path k8s() {
        return deploy().resolve("k8s");
    }

    /** deploy/target: scratch space and caches of the tests, removed by `mvn clean`. */
    public static Path target() {
        return deploy().resolve("target");
    }

    /** The project version the images are tagged with (Surefire passes ${project.version}). */
    public static String version() {
        return System.getProperty("tapline.version", "0.1.0");
    }
}
