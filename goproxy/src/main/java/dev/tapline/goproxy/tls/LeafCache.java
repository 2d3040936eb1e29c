package dev.tapline.goproxy.tls;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.netty.handler.ssl.SslProvider;

/**
 * The server contexts of each host name the app called, minted once and kept: only a host's first connection waits
 * for {@link LeafMinter} (on the minting thread, never an event loop); the next ones find a completed future.
 *
 * <pre>
 *   contextsFor("shop.example") ──cached, fresh──▶ completed future (same contexts)
 *                               └─first or near expiry──▶ minting thread: mint + build contexts ──▶ future
 * </pre>
 *
 * At most {@link #MAX_HOSTS} names are kept (least recently used go first); a leaf is minted again a day before it
 * expires. A failed mint is not kept, so the next connection tries again.
 */
final class LeafCache {
    static final int MAX_HOSTS = 2048;
    private static final long RENEW_BEFORE_MILLIS = 24L * 3600 * 1000;

    private record Entry(CompletableFuture<ServerContexts> contexts, long renewAtMillis) {
    }

    private final LeafMinter minter;
    private final SslProvider provider;
    private final TlsStats stats;
    private final ExecutorService minting = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tapline-tls-mint");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Entry> byHost = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_HOSTS;
        }
    };

    LeafCache(LeafMinter minter, SslProvider provider, TlsStats stats) {
        this.minter = minter;
        this.provider = provider;
        this.stats = stats;
    }

    /** The contexts for {@code host}; completes on the minting thread the first time, at once afterwards. */
    CompletableFuture<ServerContexts> contextsFor(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        // "shop.example." is the same host, and clients check certificates against the name without the root dot
        String name = lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
        long now = System.currentTimeMillis();
        synchronized (byHost) {
            Entry e = byHost.get(name);
            if (e != null && now < e.renewAtMillis() && !e.contexts().isCompletedExceptionally()) {
                return e.contexts();
            }
            CompletableFuture<ServerContexts> minted = CompletableFuture.supplyAsync(() -> mint(name), minting);
            long renewAt = now + LeafMinter.VALIDITY.toMillis() - RENEW_BEFORE_MILLIS;
            byHost.put(name, new Entry(minted, renewAt));
            minted.whenComplete((c, failure) -> {
                if (failure != null) {
                    synchronized (byHost) {
                        Entry current = byHost.get(name);
                        if (current != null && current.contexts() == minted) {
                            byHost.remove(name);
                        }
                    }
                }
            });
            return minted;
        }
    }

    private ServerContexts mint(String host) {
        try {
            PemFiles.CertifiedKey leaf = minter.mint(host);
            if (leaf.chain().get(0).getNotAfter().toInstant().isBefore(Instant.now())) {
                throw new IllegalStateException("the CA in TLS_CERT_DIR has expired");
            }
            ServerContexts contexts = new ServerContexts(leaf, provider);
            stats.leavesMinted.increment();
            return contexts;
        } catch (Exception e) {
            stats.leafFailures.increment();
            throw new IllegalStateException("cannot mint a certificate for " + host + ": " + e.getMessage(), e);
        }
    }

    /** Hosts with a leaf (or one being minted). */
    int size() {
        synchronized (byHost) {
            return byHost.size();
        }
    }

    void close() {
        minting.shutdownNow();
    }
}
