package dev.tapline.goproxy.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP/1.1 server (the JDK's) on 127.0.0.1 and a free port that answers with what it was asked:
 * {@code "<name> <method> <request-target> host=<Host> body=<body>"}, with a Content-Length.
 */
final class EchoBackend implements AutoCloseable {
    private final HttpServer server;

    EchoBackend(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "echo-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] out = (name + " " + x.getRequestMethod() + " " + x.getRequestURI() + " host="
                    + x.getRequestHeaders().getFirst("Host") + " body=" + body).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/plain");
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String hostPort() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
