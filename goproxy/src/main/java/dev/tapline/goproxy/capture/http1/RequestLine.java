package dev.tapline.goproxy.capture.http1;

/**
 * Where the parts of the request line just read lie in the head's bytes ({@link HeadParser#parseRequestLine}).
 * Reused from head to head: deciding an exchange's framing, or dropping it, makes no string.
 */
final class RequestLine {
    private int methodEnd;
    private int targetEnd;
    private String version;

    void set(int methodEnd, int targetEnd, String version) {
        this.methodEnd = methodEnd;
        this.targetEnd = targetEnd;
        this.version = version;
    }

    /** Whether the method in {@code head} is {@code method}; methods are case-sensitive (RFC 9110 §9.1). */
    boolean methodIs(byte[] head, String method) {
        if (methodEnd != method.length()) {
            return false;
        }
        for (int i = 0; i < methodEnd; i++) {
            if (head[i] != method.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    int methodEnd() {
        return methodEnd;
    }

    int targetEnd() {
        return targetEnd;
    }

    String version() {
        return version;
    }
}
