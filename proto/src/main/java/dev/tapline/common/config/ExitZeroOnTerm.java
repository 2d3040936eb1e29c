package dev.tapline.common.config;

import sun.misc.Signal;

/**
 * Makes SIGTERM a normal, graceful stop with exit status 0 (the JVM's default is 143), as orchestrators expect
 * from a service that drained cleanly. {@code System.exit(0)} runs the shutdown hooks, so Quarkus still stops
 * the app (and its ShutdownEvent observers drain) before the process ends.
 */
public final class ExitZeroOnTerm {
    private ExitZeroOnTerm() {
    }

    public static void install() {
        Signal.handle(new Signal("TERM"), signal -> {
            Thread exit = new Thread(() -> System.exit(0), "sigterm-exit");
            exit.setDaemon(false);
            exit.start();
        });
    }
}
