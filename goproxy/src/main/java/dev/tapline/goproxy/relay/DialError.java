package dev.tapline.goproxy.relay;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;

import io.netty.channel.ConnectTimeoutException;

/**
 * A failed connect to the app, described the way the manual's log lines do:
 * {@code addr} "127.0.0.1:5000", {@code error} "dial tcp 127.0.0.1:5000: connect: connection refused".
 */
public record DialError(String addr, String error) {
    // Netty: "Connection refused: localhost/127.0.0.1:5000"
    private static final Pattern RESOLVED = Pattern.compile("[^/\\s]*/([0-9a-fA-F.:%\\[\\]]+):(\\d+)$");

    private static final Logger LOG = Logger.getLogger(Relay.class);

    /** Logs the manual's two ERROR lines for a failed dial of {@code host:port} for the client at {@code clientAddr}. */
    public static DialError log(String clientAddr, String host, int port, Throwable cause) {
        DialError dial = of(host, port, cause);
        LOG.errorf("dial() ERR could not connect", LogFields.of("addr", dial.addr(), "error", dial.error()));
        LOG.errorf("DIRECT|%s...%s:%d|Could not connect, giving up", clientAddr, host, port,
                LogFields.of("error", dial.error()));
        return dial;
    }

    public static DialError of(String host, int port, Throwable cause) {
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
