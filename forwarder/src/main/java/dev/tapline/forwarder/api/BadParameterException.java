package dev.tapline.forwarder.api;

/** A query parameter of the read API that cannot be used; answered with 400 and an {@link ApiError} naming it. */
public final class BadParameterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    public BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
