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
    private int fieldsFrom;

    void set(int status, int reasonFrom, int reasonTo, String version, int fieldsFrom) {
        this.status = status;
        this.reasonFrom = reasonFrom;
        this.reasonTo = reasonTo;
        this.version = version;
        this.fieldsFrom = fieldsFrom;
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

    /** Where the field lines start. */
    int fieldsFrom() {
        return fieldsFrom;
    }
}
