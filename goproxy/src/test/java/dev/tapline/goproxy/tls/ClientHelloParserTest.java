package dev.tapline.goproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class ClientHelloParserTest {

    /** A real ClientHello, as the JDK's TLS client writes it. */
    static byte[] clientHello(String sni, List<String> alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("ignored", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        p.setApplicationProtocols(alpn.toArray(String[]::new));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    private static ClientHello parse(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        ClientHello hello = ClientHelloParser.parse(buf);
        assertThat(buf.readerIndex()).isZero();
        return hello;
    }

    @Test
    void readsTheServerNameAndTheOfferedProtocolsOfARealHello() throws Exception {
        ClientHello hello = parse(clientHello("shop.example.com", List.of("h2", "http/1.1")));
        assertThat(hello.sni()).isEqualTo("shop.example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
    }

    @Test
    void aHelloWithoutThemHasNeither() throws Exception {
        ClientHello hello = parse(clientHello(null, List.of()));
        assertThat(hello.sni()).isNull();
        assertThat(hello.alpn()).isEmpty();
    }

    @Test
    void everyShorterPrefixAsksForMoreBytes() throws Exception {
        byte[] hello = clientHello("a.b", List.of("http/1.1"));
        for (int n = 0; n < hello.length; n++) {
            assertThat(parse(Arrays.copyOf(hello, n))).as("prefix of %d bytes", n).isNull();
        }
        assertThat(parse(hello).sni()).isEqualTo("a.b");
    }

    @Test
    void aHelloSplitOverTwoRecordsIsReassembled() throws Exception {
        byte[] hello = clientHello("split.test", List.of("h2"));
        int body = hello.length - 5;
        int first = body / 2;
        byte[] two = new byte[hello.length + 5];
        System.arraycopy(hello, 0, two, 0, 5 + first);
        two[3] = (byte) (first >> 8);
        two[4] = (byte) first;
        int second = body - first;
        int at = 5 + first;
        two[at] = 0x16;
        two[at + 1] = 0x03;
        two[at + 2] = 0x03;
        two[at + 3] = (byte) (second >> 8);
        two[at + 4] = (byte) second;
        System.arraycopy(hello, 5 + first, two, at + 5, second);
        ClientHello parsed = parse(two);
        assertThat(parsed.sni()).isEqualTo("split.test");
        assertThat(parsed.alpn()).containsExactly("h2");
    }

    @Test
    void garbageNeverThrowsAndIsUnreadableOrIncomplete() throws Exception {
        Random random = new Random(21);
        byte[] real = clientHello("fuzz.test", List.of("h2", "http/1.1"));
        for (int i = 0; i < 20_000; i++) {
            byte[] b = i % 2 == 0 ? new byte[random.nextInt(600)] : real.clone();
            if (i % 2 == 0) {
                random.nextBytes(b);
                if (b.length > 2) {
                    b[0] = 0x16;
                    b[1] = 0x03;
                }
            } else {
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[5 + random.nextInt(b.length - 5)] = (byte) random.nextInt();
                }
            }
            ClientHello parsed = parse(b); // must not throw
            if (parsed != null && parsed.sni() != null) {
                assertThat(parsed.sni()).matches("[\\x21-\\x7e]*");
            }
        }
        assertThat(parse(new byte[] {0x16, 0x03, 0x01, 0x00, 0x00})).isEqualTo(ClientHello.UNREADABLE);
        assertThat(parse("GET / HTTP/1.1\r\n".getBytes())).isEqualTo(ClientHello.UNREADABLE);
    }

    @Test
    void theSnifferForRelayedTlsReadsAHelloFedInPieces() throws Exception {
        byte[] hello = clientHello("relayed.test", List.of("http/1.1"));
        ClientHelloSniffer sniffer = new ClientHelloSniffer();
        ClientHello seen = null;
        for (int i = 0; i < hello.length; i += 7) {
            seen = sniffer.offer(Unpooled.wrappedBuffer(hello, i, Math.min(7, hello.length - i)));
            if (i + 7 < hello.length) {
                assertThat(seen).isNull();
            }
        }
        assertThat(seen.sni()).isEqualTo("relayed.test");
        assertThat(TlsSession.relayed(seen).offeredAlpn()).containsExactly("http/1.1");
    }
}
