package dev.tapline.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to its end, with a time limit, its output (stdout and stderr together) in a log file, so a long
 * output (a Maven build) neither fills memory nor blocks the program on a full pipe.
 */
public final class Command {
    private final List<String> argv;
    private Path dir = RepoPaths.root();
    private Map<String, String> env = Map.of();
    private Duration timeout = Duration.ofMinutes(2);

    private Command(List<String> argv) {
        this.argv = argv;
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(List.copyOf(argv));
    }

    public Command in(Path dir) {
        this.dir = dir;
        return this;
    }

    public Command env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    public Command timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** What a finished program left: its exit code and its output. */
    public record Result(List<String> argv, int exit, String output, Duration took) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError(String.join(" ", argv) + " exited " + exit + "; its output ends with:\n"
                        + tail(40));
            }
            return this;
        }

        public String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /** Runs with the output into {@code log} (kept for a look after a failure). */
    public Result run(Path log) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", argv) + " took longer than " + timeout + "; see " + log);
            }
            return new Result(argv, p.exitValue(), Files.readString(log), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs with the output into a temporary file, removed afterwards. */
    public Result run() {
        try {
            Path log = Files.createTempFile("tapline-command", ".log");
            try {
                return run(log);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
