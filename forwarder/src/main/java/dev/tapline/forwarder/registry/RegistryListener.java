package dev.tapline.forwarder.registry;

/** Told of each change in the {@link ProxyRegistry} (the Kafka sink publishes them for the fleet's indexer). */
public interface RegistryListener {
    RegistryListener NONE = new RegistryListener() {
    };

    /** A registration or a check-in: {@code record} is the proxy's state now. */
    default void updated(ProxyRecord record) {
    }

    /** The proxy was reaped. */
    default void evicted(ProxyRecord record) {
    }
}
