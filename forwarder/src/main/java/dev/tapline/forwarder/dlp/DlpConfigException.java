package dev.tapline.forwarder.dlp;

/**
 * Thrown when the DLP configuration ({@code WITH_DLP} / {@code DLP_CONFIG}) cannot be turned into
 * {@link DlpRules}. The message is meant for an operator reading a start-up failure: it names the
 * setting or file and the problem, with line and column when the problem has a place in the file.
 */
public final class DlpConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with an operator-facing message. */
    public DlpConfigException(String message) {
        super(message);
    }

    /** Creates the exception with an operator-facing message and the underlying cause. */
    public DlpConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
