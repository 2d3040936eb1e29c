package dev.tapline.forwarder.store;

import java.nio.file.Path;

/**
 * Where the embedded store keeps its files, for readiness: it checks the directory is still there and writable
 * and that the store's file was not removed or replaced under it.
 */
public interface StoreFiles {

    /** DATA_DIR, the directory the store's files are in. */
    Path dir();

    /** The file the store writes to. */
    Path file();

    /**
     * Whether {@link #file()} is still the file the store opened. When it was removed or replaced, writes would go
     * to a file nobody will ever read again: that is a store that is not writable.
     */
    boolean fileStillInPlace();
}
