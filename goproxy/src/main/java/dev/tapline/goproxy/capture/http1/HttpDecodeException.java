package dev.tapline.goproxy.capture.http1;

/**
 * Signals input the decoder cannot or will not follow; its message becomes the give-up reason.
 * Never leaves {@link HttpSniffer}. Carries no stack trace: it is an expected outcome of
 * hostile or broken traffic and must stay cheap.
 */
final class HttpDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    HttpDecodeException(String reason) {
        super(reason, null, false, false);
    }
}
