package dev.tapline.goproxy.tls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A TLS app that says whether each connection resumed a TLS session: Python's ssl module (OpenSSL) on 127.0.0.1 and a
 * free port, one connection at a time. It reads one HTTP request and answers {@code reused=True|False sni=NAME|None}
 * (OpenSSL's own view of the handshake on the app's side), then closes.
 */
final class ResumingTlsApp implements AutoCloseable {
    private static final String SCRIPT = String.join("\n",
            "import socket, ssl, sys",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "seen = {}",
            "ctx.sni_callback = lambda obj, name, c: seen.__setitem__('sni', name)",
            "srv = socket.create_server(('127.0.0.1', 0))",
            "print(srv.getsockname()[1], flush=True)",
            "while True:",
            "    raw, _ = srv.accept()",
            "    seen['sni'] = None",
            "    try:",
            "        s = ctx.wrap_socket(raw, server_side=True)",
            "        data = b''",
            "        while b'\\r\\n\\r\\n' not in data:",
            "            b = s.recv(4096)",
            "            if not b: break",
            "            data += b",
            "        body = ('reused=%s sni=%s\\n' % (s.session_reused, seen['sni'])).encode()",
            "        s.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n' % len(body) + body)",
            "        s.close()",
            "    except Exception as e:",
            "        print('app: %r' % e, file=sys.stderr, flush=True)",
            "        raw.close()");

    private final Process process;
    private final int port;

    ResumingTlsApp(Path chain, Path key) throws Exception {
        process = new ProcessBuilder("python3", "-c", SCRIPT, chain.toString(), key.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("the python TLS app did not start");
        }
        port = Integer.parseInt(line.trim());
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
