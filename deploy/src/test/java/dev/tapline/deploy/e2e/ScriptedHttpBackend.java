package dev.tapline.deploy.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP/1.1 app written against raw sockets, so each framing case is exactly what the test needs:
 * <ul>
 * <li>{@code GET /small}: 13 bytes; {@code GET /bytes/N}: N deterministic bytes (Content-Length)</li>
 * <li>{@code GET /chunked}: a chunked body with a trailer</li>
 * <li>{@code GET /nocontent}: 204; {@code GET /notmodified}: 304</li>
 * <li>{@code POST /echo}: the request body back (Content-Length or chunked; answers Expect: 100-continue)</li>
 * <li>{@code GET /ws} with Upgrade: 101, then echoes raw bytes</li>
 * <li>{@code HEAD}: the GET headers without a body; {@code Connection: close} and HTTP/1.0 are honoured</li>
 * </ul>
 */
public final class ScriptedHttpBackend implements AutoCloseable {
    static final String SMALL = "product-list\n";
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public ScriptedHttpBackend(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        Thread acceptor = new Thread(this::accept, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            // one write per response: no Nagle/delayed-ACK stalls between head and body
            OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                String[] parts = requestLine.split(" ");
                if (parts.length != 3) {
                    // not HTTP (a test relays raw bytes): answer as a server would, not with a thread's stack trace
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                Map<String, String> headers = headers(in);
                String method = parts[0];
                String target = parts[1];
                boolean http10 = parts[2].equals("HTTP/1.0");
                boolean close = http10 || "close".equalsIgnoreCase(headers.get("connection"));
                if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                byte[] body = body(in, headers);
                if (target.equals("/ws") && "websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] buf = new byte[8192]; // raw echo until the client closes
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        s.getOutputStream().write(buf, 0, n);
                    }
                    return;
                }
                respond(out, method, target, body);
                if (close) {
                    return;
                }
            }
        } catch (IOException e) {
            // client went away
        } finally {
            open.remove(s);
        }
    }

    private static void respond(OutputStream out, String method, String target, byte[] requestBody) throws IOException {
        boolean head = method.equals("HEAD");
        if (target.equals("/chunked")) {
            StringBuilder r = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: X-Checksum\r\n\r\n");
            if (!head) {
                r.append("5\r\nhello\r\n7;ext=1\r\n, world\r\n1\r\n!\r\n0\r\nX-Checksum: 13\r\n\r\n");
            }
            out.write(r.toString().getBytes(StandardCharsets.US_ASCII));
        } else if (target.equals("/nocontent")) {
            out.write("HTTP/1.1 204 No Content\r\nX-Reason: nothing\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (target.equals("/notmodified")) {
            out.write("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            byte[] body;
            int status = 200;
            if (target.equals("/small") || target.startsWith("/small?")) {
                body = SMALL.getBytes(StandardCharsets.US_ASCII);
            } else if (target.startsWith("/bytes/")) {
                body = bytes(Integer.parseInt(target.substring("/bytes/".length()).split("\\?")[0]));
            } else if (target.equals("/echo")) {
                body = requestBody;
            } else {
                status = 404;
                body = "not found\n".getBytes(StandardCharsets.US_ASCII);
            }
            out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            if (!head) {
                out.write(body);
            }
        }
        out.flush();
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        String length = headers.get("content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed header line"); // bad clients of the tests: drop the connection
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
