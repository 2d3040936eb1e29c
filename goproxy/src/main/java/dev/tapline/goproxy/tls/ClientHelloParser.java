package dev.tapline.goproxy.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Reads the two clear-text extensions of a TLS ClientHello we care about, server_name (RFC 6066 §3) and ALPN
 * (RFC 7301 §3.1), from the first bytes of a connection. It does no crypto and checks nothing else: the TLS stack
 * (or the app) judges the hello. Bounded and total: every length is checked against what is there, so garbage
 * gives {@link ClientHello#UNREADABLE}, never an exception.
 *
 * <pre>
 *   record:    0x16 | version(2) | length(2) | fragment        (a hello may span several records)
 *   handshake: 0x01 | length(3) | version(2) random(32) session_id(1+n) ciphers(2+n) compression(1+n) extensions(2+n)
 *   extension: type(2) | length(2) | data
 * </pre>
 */
public final class ClientHelloParser {
    /** A hello larger than this (post-quantum key shares make ~2 KiB) is not read. */
    public static final int MAX_HELLO_BYTES = 16 * 1024;
    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE = 0x16;
    private static final int CLIENT_HELLO = 0x01;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int MAX_ALPN_ENTRIES = 16;

    private ClientHelloParser() {
    }

    /**
     * Parses the hello at {@code buf}'s reader index without moving it.
     *
     * @return the hello, {@link ClientHello#UNREADABLE} when the bytes are not a readable hello, or null when more
     *         bytes are needed to tell
     */
    public static ClientHello parse(ByteBuf buf) {
        byte[] message = handshakeMessage(buf);
        if (message == null) {
            return null;
        }
        if (message.length == 0) {
            return ClientHello.UNREADABLE;
        }
        try {
            return extensions(message);
        } catch (IndexOutOfBoundsException e) {
            return ClientHello.UNREADABLE; // a length pointed past the end: not a hello we can read
        }
    }

    /** The handshake message gathered from the records' fragments; null: need more; empty: unreadable. */
    private static byte[] handshakeMessage(ByteBuf buf) {
        int at = buf.readerIndex();
        int end = buf.writerIndex();
        byte[] message = null;
        int have = 0;
        while (true) {
            if (end - at < RECORD_HEADER) {
                return null;
            }
            if (buf.getUnsignedByte(at) != HANDSHAKE || buf.getUnsignedByte(at + 1) != 3) {
                return new byte[0];
            }
            int length = buf.getUnsignedShort(at + 3);
            if (length == 0) {
                return new byte[0];
            }
            int fragment = Math.min(length, end - at - RECORD_HEADER);
            if (message == null) {
                if (fragment < 4) {
                    return fragment == length ? new byte[0] : null;
                }
                int first = at + RECORD_HEADER;
                int total = 4 + buf.getUnsignedMedium(first + 1);
                if (buf.getUnsignedByte(first) != CLIENT_HELLO || total > MAX_HELLO_BYTES) {
                    return new byte[0];
                }
                message = new byte[total];
            }
            int n = Math.min(fragment, message.length - have);
            buf.getBytes(at + RECORD_HEADER, message, have, n);
            have += n;
            if (have == message.length) {
                return message;
            }
            if (fragment < length) {
                return null; // the rest of this record is still coming
            }
            at += RECORD_HEADER + length;
        }
    }

    private static ClientHello extensions(byte[] m) {
        int p = 4 + 2 + 32; // handshake header, client_version, random
        p += 1 + u8(m, p); // session_id
        p += 2 + u16(m, p); // cipher_suites
        p += 1 + u8(m, p); // compression_methods
        if (p == m.length) {
            return new ClientHello(null, List.of()); // no extensions at all
        }
        int end = p + 2 + u16(m, p);
        p += 2;
        check(end <= m.length);
        String sni = null;
        List<String> alpn = List.of();
        while (p + 4 <= end) {
            int type = u16(m, p);
            int length = u16(m, p + 2);
            int data = p + 4;
            check(data + length <= end);
            if (type == EXT_SERVER_NAME) {
                sni = serverName(m, data, data + length);
            } else if (type == EXT_ALPN) {
                alpn = protocols(m, data, data + length);
            }
            p = data + length;
        }
        return new ClientHello(sni, alpn);
    }

    /** ServerNameList: the first host_name (type 0) entry; RFC 6066 allows only one. */
    private static String serverName(byte[] m, int p, int end) {
        int listEnd = p + 2 + u16(m, p);
        check(listEnd <= end);
        p += 2;
        while (p + 3 <= listEnd) {
            int type = u8(m, p);
            int length = u16(m, p + 1);
            check(p + 3 + length <= listEnd);
            if (type == 0) {
                return ascii(m, p + 3, length);
            }
            p += 3 + length;
        }
        return null;
    }

    /** ProtocolNameList: each entry one length byte and the name. */
    private static List<String> protocols(byte[] m, int p, int end) {
        int listEnd = p + 2 + u16(m, p);
        check(listEnd <= end);
        p += 2;
        List<String> out = new ArrayList<>(2);
        while (p < listEnd && out.size() < MAX_ALPN_ENTRIES) {
            int length = u8(m, p);
            check(length > 0 && p + 1 + length <= listEnd);
            out.add(ascii(m, p + 1, length));
            p += 1 + length;
        }
        return out;
    }

    /** Printable ASCII only; anything else is shown as '?' (the value ends up in logs and captures). */
    private static String ascii(byte[] m, int from, int length) {
        byte[] copy = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b = m[from + i];
            copy[i] = b > 0x20 && b < 0x7f ? b : (byte) '?';
        }
        return new String(copy, StandardCharsets.US_ASCII);
    }

    private static int u8(byte[] m, int p) {
        return m[p] & 0xff;
    }

    private static int u16(byte[] m, int p) {
        return (m[p] & 0xff) << 8 | m[p + 1] & 0xff;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IndexOutOfBoundsException();
        }
    }
}
