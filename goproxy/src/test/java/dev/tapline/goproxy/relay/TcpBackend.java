package dev.tapline.goproxy.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** A real TCP server on 127.0.0.1 and a free port, running one {@link Behaviour} per accepted connection. */
final class TcpBackend implements AutoCloseable {
    interface Behaviour {
        void serve(Socket socket, TcpBackend backend) throws IOException;
    }

    final AtomicLong bytesWritten = new AtomicLong();
    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();

    TcpBackend(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            behaviour.serve(s, this);
                        } catch (IOException e) {
                            // client went away
                        }
                    }, "backend-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "backend-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    static void echo(Socket s, TcpBackend b) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            b.bytesWritten.addAndGet(n);
        }
        s.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
