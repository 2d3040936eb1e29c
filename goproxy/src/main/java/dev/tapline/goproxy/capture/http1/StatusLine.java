package dev.tapline.goproxy.capture.http1;

/**
 * The status line just read ({@link HeadParser#parseStatusLine}): its code, and where its reason phrase lies in
 * the head's bytes. Reused from head to head.
 */
final class StatusLine {
    private int status;
    private int reasonFrom;
    private int reasonTo;
    private String version;

    void set(int status, int reasonFrom, int reasonTo, String version) {
        this.status = status;
        this.reasonFrom = reasonFrom;
        this.reasonTo = reasonTo;
        this.version = version;
    }

    int status() {
        return status;
    }

    int reasonFrom() {
        return reasonFrom;
    }

    int reasonTo() {
        return reasonTo;
    }

    String version() {
        return version;
    }
}
