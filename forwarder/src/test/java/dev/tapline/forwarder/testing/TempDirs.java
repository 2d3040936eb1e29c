package dev.tapline.forwarder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fresh directories under target/, so that each test profile starts with an empty store. */
public final class TempDirs {
    private TempDirs() {
    }

    public static String create(String prefix) {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-stores"));
            return Files.createTempDirectory(base, prefix + "-").toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
