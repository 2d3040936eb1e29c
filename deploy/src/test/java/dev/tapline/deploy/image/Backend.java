package dev.tapline.deploy.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/** The app behind goproxy: a JDK HTTP server (127.0.0.1 unless told) answering every request with a fixed body. */
final class Backend implements AutoCloseable {
    private final HttpServer server;

    Backend(String body) {
        this(body, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** On {@code address}, e.g. all interfaces, for goproxy in a container that reaches the host by its address. */
    Backend(String body, InetSocketAddress address) {
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
