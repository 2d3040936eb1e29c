package dev.tapline.goproxy.relay;

/** Opens the capture side branch of each new connection (or {@link ConnectionTap#NONE}). */
@FunctionalInterface
public interface TapFactory {
    TapFactory NONE = info -> ConnectionTap.NONE;

    ConnectionTap open(ConnectionInfo connection);
}
