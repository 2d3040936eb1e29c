package dev.tapline.goproxy.proxy;

/**
 * A destination as the app names it: {@code host:port} of a CONNECT, or the authority of an absolute
 * {@code http://} URL with the path that follows it.
 *
 * @param host a name or an address (IPv6 without brackets)
 * @param originForm for an absolute URL, the path and query to send to the origin ("/" when empty); else null
 */
record Authority(String host, int port, String originForm) {
    static final int MAX_HOST = 253;

    /** The "host:port" to show and capture (IPv6 in brackets). */
    String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** CONNECT's authority-form: a port is required (RFC 9110 section 9.3.6). */
    static Authority ofConnect(String target) throws HttpHead.Malformed {
        return hostAndPort(target, -1, null);
    }

    /** An absolute-form target {@code http://host[:port][/path][?query]}. */
    static Authority ofAbsolute(String target) throws HttpHead.Malformed {
        if (!target.regionMatches(true, 0, "http://", 0, 7)) {
            throw new HttpHead.Malformed("not an http:// URL: " + HttpHead.printable(target));
        }
        int end = 7;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        String rest = target.substring(end);
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        String path = rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest;
        return hostAndPort(target.substring(7, end), 80, path);
    }

    private static Authority hostAndPort(String s, int defaultPort, String path) throws HttpHead.Malformed {
        if (s.indexOf('@') >= 0) {
            throw new HttpHead.Malformed("user info in the authority is not allowed");
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new HttpHead.Malformed("unclosed [ in " + HttpHead.printable(s));
            }
            host = s.substring(1, close);
            String after = s.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new HttpHead.Malformed("bad authority " + HttpHead.printable(s));
            }
            port = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = s.lastIndexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || host.length() > MAX_HOST || !validHost(host)) {
            throw new HttpHead.Malformed("bad host " + HttpHead.printable(host));
        }
        int p = defaultPort;
        if (port != null && !(port.isEmpty() && defaultPort > 0)) {
            p = parsePort(port);
        }
        if (p < 1) {
            throw new HttpHead.Malformed("a port is required: " + HttpHead.printable(s));
        }
        return new Authority(host, p, path);
    }

    private static int parsePort(String s) throws HttpHead.Malformed {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new HttpHead.Malformed("bad port " + HttpHead.printable(s));
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw new HttpHead.Malformed("port out of range: " + p);
        }
        return p;
    }

    /** Letters, digits, '-', '.', '_' for names; hex digits, ':' and '.' for addresses. */
    static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
