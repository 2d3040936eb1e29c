package dev.tapline.forwarder.store;

/** The store could not do what was asked (disk full, file removed, I/O error); nothing of the call took effect. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
