package dev.tapline.goproxy.relay;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.ConnectTimeoutException;

/**
 * A failed connect to the app, described the way the manual's log lines do:
 * {@code addr} "127.0.0.1:5000", {@code error} "dial tcp 127.0.0.1:5000: connect: connection refused".
 */
record DialError(String addr, String error) {
    // Netty: "Connection refused: localhost/127.0.0.1:5000"
    private static final Pattern RESOLVED = Pattern.compile("[^/\\s]*/([0-9a-fA-F.:%\\[\\]]+):(\\d+)$");

    static DialError of(String host, int port, Throwable cause) {
        String addr = host + ":" + port;
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        Matcher m = RESOLVED.matcher(message);
        if (m.find()) {
            addr = m.group(1) + ":" + m.group(2);
        }
        String what;
        if (cause instanceof ConnectTimeoutException) {
            what = "i/o timeout";
        } else if (cause instanceof UnknownHostException) {
            what = "lookup " + host + ": no such host";
        } else if (cause instanceof NoRouteToHostException) {
            what = "connect: no route to host";
        } else if (cause instanceof ConnectException && message.toLowerCase().contains("refused")) {
            what = "connect: connection refused";
        } else {
            what = message.isEmpty() ? cause.getClass().getSimpleName() : message;
        }
        return new DialError(addr, "dial tcp " + addr + ": " + what);
    }
}
