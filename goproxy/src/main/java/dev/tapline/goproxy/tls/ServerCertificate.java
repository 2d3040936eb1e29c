package dev.tapline.goproxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLException;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import io.netty.handler.ssl.SslProvider;

/**
 * The certificate clients are shown, reloaded when its files change on disk (a renewed Kubernetes secret: the
 * kubelet swaps a symlink, so the files' real paths, sizes and times change). {@link #checkForChange()} runs every
 * few seconds off the event loops; a connection takes the contexts current when its handshake starts, so open
 * connections keep their certificate and new ones get the new one. A renewal that cannot be used (half-written,
 * mismatched, expired) is logged and the old certificate stays.
 */
final class ServerCertificate {
    private static final Logger LOG = Logger.getLogger(ServerCertificate.class);

    private final TlsSettings settings;
    private final SslProvider provider;
    private final TlsStats stats;
    private volatile ServerContexts current;
    private List<Object> seen;

    ServerCertificate(TlsSettings settings, SslProvider provider, TlsStats stats) throws TlsFileProblem, SSLException {
        this.settings = settings;
        this.provider = provider;
        this.stats = stats;
        this.seen = fingerprint();
        this.current = new ServerContexts(load(), provider);
    }

    ServerContexts current() {
        return current;
    }

    /** Reloads when the files changed since the last look. Not thread-safe: one caller, the reload timer. */
    void checkForChange() {
        List<Object> now = fingerprint();
        if (now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            current = new ServerContexts(load(), provider);
            stats.reloads.increment();
            LOG.infof("TLS certificate reloaded", LogFields.of("file", settings.certFile().toString()));
        } catch (TlsFileProblem e) {
            stats.reloadFailures.increment();
            LOG.warnf("TLS certificate not reloaded, keeping the previous one",
                    LogFields.of("variable", e.variable(), "error", e.getMessage()));
        } catch (SSLException | RuntimeException e) {
            stats.reloadFailures.increment();
            LOG.warnf("TLS certificate not reloaded, keeping the previous one", LogFields.of("error", String.valueOf(e)));
        }
    }

    private PemFiles.CertifiedKey load() throws TlsFileProblem {
        return PemFiles.load(TlsSettings.CERT_VARIABLE, settings.certFile(), TlsSettings.KEY_VARIABLE,
                settings.keyFile());
    }

    private List<Object> fingerprint() {
        return List.of(stamp(settings.certFile()), stamp(settings.keyFile()));
    }

    private static Object stamp(Path file) {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            return List.of(real.toString(), a.size(), a.lastModifiedTime().toMillis(), Objects.toString(a.fileKey()));
        } catch (IOException e) {
            return "missing";
        }
    }
}
