package dev.tapline.forwarder.sink.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Whether anything accepts a TCP connection at one of KAFKA_BOOTSTRAP_SERVERS' addresses. The start waits for the
 * topics to be checked only then: with a broker there, a refusal to create a topic stops the start naming it; with
 * none (Kafka deployed after the forwarders, or down), the Kafka client would only time out, so waiting for it would
 * add seconds to every start and tell nothing that readiness does not say. Not Kafka's protocol, only a connect.
 */
final class BrokerReach {
    private BrokerReach() {
    }

    /**
     * True when a connection to one of the servers' addresses succeeds within {@code timeout} each.
     *
     * @param servers the well-formed KAFKA_BOOTSTRAP_SERVERS value ({@code host:port,...}, IPv6 hosts in brackets)
     */
    static boolean anyAccepts(String servers, Duration timeout) {
        for (String server : servers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = Integer.parseInt(s.substring(colon + 1));
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                continue;
            }
            for (InetAddress address : addresses) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                    return true;
                } catch (IOException e) {
                    // refused, unreachable or no answer in time: try the next address
                }
            }
        }
        return false;
    }
}
