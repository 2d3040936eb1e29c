package dev.tapline.deploy.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A byte-exact HTTP/1.1 client on a raw socket: what goes out is exactly what the test wrote. */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads one response (head and body framed by Content-Length, chunked, or none for HEAD/1xx/204/304). */
    byte[] readResponse(boolean head) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String headText = readHead(all);
        int status = Integer.parseInt(headText.substring(9, 12));
        String lower = headText.toLowerCase();
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return all.toByteArray();
        }
        if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                String sizeLine = readLine(all);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(all).isEmpty()) {
                        // trailers
                    }
                    return all.toByteArray();
                }
                all.write(in.readNBytes(size));
                readLine(all);
            }
        }
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
        all.write(in.readNBytes(length));
        return all.toByteArray();
    }

    private String readHead(ByteArrayOutputStream all) throws IOException {
        StringBuilder head = new StringBuilder();
        String line;
        while (!(line = readLine(all)).isEmpty()) {
            head.append(line).append("\r\n");
        }
        return head.toString();
    }

    private String readLine(ByteArrayOutputStream all) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            all.write(c);
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        throw new IOException("connection closed mid-response");
    }

    byte[] readN(int n) throws IOException {
        return in.readNBytes(n);
    }

    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
