package dev.tapline.deploy.image;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The app of the example overlay's pod, in place of its nginx (no Docker Hub here): run in a container of our JRE
 * base image from the mounted test classes, {@code java -cp DIR dev.tapline.deploy.image.StandInApp PORT BODY}.
 * Answers every request with BODY, on all interfaces (its readiness probe comes from outside the pod).
 */
public final class StandInApp {
    private StandInApp() {
    }

    public static void main(String[] args) throws Exception {
        byte[] body = args[1].getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(args[0])), 16);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
