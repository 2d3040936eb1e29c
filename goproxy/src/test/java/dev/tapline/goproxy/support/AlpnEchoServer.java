package dev.tapline.goproxy.support;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server (the JDK's) speaking a protocol of its own, chosen by ALPN: it accepts only the ids it was given,
 * picking the first of the client's offer it knows (no ALPN answer when none), and keeps every offer it received.
 * The protocol is not HTTP: frames of one length byte and a payload, each answered with the payload reversed.
 */
public final class AlpnEchoServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final List<String> accepted;
    private final Thread loop;
    /** The ALPN lists clients offered, one per handshake. */
    public final Queue<List<String>> offers = new ConcurrentLinkedQueue<>();

    public AlpnEchoServer(SSLContext context, String... accepted) throws IOException {
        this.accepted = List.of(accepted);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 16,
                InetAddress.getLoopbackAddress());
        loop = new Thread(this::acceptAll, "alpn-echo");
        loop.setDaemon(true);
        loop.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                s.setHandshakeApplicationProtocolSelector((socket, offered) -> {
                    offers.add(List.copyOf(offered));
                    return offered.stream().filter(accepted::contains).findFirst().orElse("");
                });
                Thread t = new Thread(() -> serve(s), "alpn-echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(SSLSocket s) {
        try (s) {
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int length = in.read();
                if (length < 0) {
                    return;
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                byte[] answer = new byte[length + 1];
                answer[0] = (byte) length;
                for (int i = 0; i < length; i++) {
                    answer[1 + i] = payload[length - 1 - i];
                }
                out.write(answer);
                out.flush();
            }
        } catch (EOFException e) {
            // the client went away mid-frame
        } catch (IOException e) {
            // handshake refused or connection reset: the test sees it on the client's side
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
