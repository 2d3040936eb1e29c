package dev.tapline.goproxy.support;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * A real h2c app (Vert.x's HTTP/2 server, prior knowledge and {@code Upgrade: h2c}) on a loopback port:
 * <ul>
 * <li>{@code GET /hello/N}: 200 {@code hello N}, header {@code x-n: N}</li>
 * <li>{@code POST /echo}: 200 with the request body, trailer {@code x-sum: <body length>}</li>
 * <li>{@code GET /big/N}: 200 with N bytes ({@link #bigByte})</li>
 * <li>{@code GET /reset}: the app resets the stream with CANCEL (8)</li>
 * <li>{@code GET /push}: pushes {@code /pushed} (200 {@code pushed body}), then 200 {@code page}</li>
 * </ul>
 */
public final class H2cApp implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    public H2cApp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true)).requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** Byte {@code i} of a {@code /big} body. */
    public static byte bigByte(int i) {
        return (byte) ('a' + i % 26);
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith("/hello/")) {
            String n = path.substring("/hello/".length());
            req.response().putHeader("x-n", n).end("hello " + n);
        } else if (path.equals("/echo")) {
            req.body().onSuccess(body -> req.response().setChunked(true)
                    .putTrailer("x-sum", String.valueOf(body.length())).end(body));
        } else if (path.startsWith("/big/")) {
            int n = Integer.parseInt(path.substring("/big/".length()));
            Buffer b = Buffer.buffer(n);
            for (int i = 0; i < n; i++) {
                b.appendByte(bigByte(i));
            }
            req.response().end(b);
        } else if (path.equals("/reset")) {
            req.response().reset(8);
        } else if (path.equals("/push")) {
            req.response().push(HttpMethod.GET, "/pushed")
                    .onSuccess(pushed -> pushed.end("pushed body"))
                    .onComplete(ignored -> req.response().end("page"));
        } else {
            req.response().setStatusCode(404).end();
        }
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
