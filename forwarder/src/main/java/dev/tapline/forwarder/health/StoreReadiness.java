package dev.tapline.forwarder.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.config.KafkaConfig;
import dev.tapline.forwarder.store.StoreFiles;
import dev.tapline.forwarder.store.StoreStatus;

/**
 * Readiness of the store: DOWN when captures could not be made durable, so that no proxy is sent here to upload.
 * Checked at each probe: the last write worked, DATA_DIR still holds the store file, a file can be written there,
 * and the disk has room. (The gRPC listener has its own readiness check, from Quarkus.)
 * <p>
 * An ingest-only forwarder (SINK=kafka without INDEX_FROM_KAFKA) has no store: UP with {@code store: none} and
 * where captures go; its readiness is Kafka's ({@link KafkaReadiness}) and the gRPC listener's.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    private static final String PROBE_FILE = ".ready-probe";

    @Inject
    KafkaConfig kafka;
    @Inject
    Instance<StoreFiles> files; // asked for only when there is a store: asking opens it
    @Inject
    StoreStatus status;
    @Inject
    ForwarderConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder answer = HealthCheckResponse.named("Capture store");
        if (!kafka.storesCaptures()) {
            return answer.up().withData("store", "none").withData("captures", "to Kafka topic " + kafka.topic())
                    .build();
        }
        StoreFiles database = files.get();
        answer.withData("dataDir", database.dir().toString());
        String problem = problem(database);
        return problem == null ? answer.up().build() : answer.down().withData("problem", problem).build();
    }

    private String problem(StoreFiles database) {
        String lastFailure = status.lastFailure();
        if (lastFailure != null) {
            return "the last write failed: " + lastFailure;
        }
        Path dir = database.dir();
        if (!Files.isDirectory(dir)) {
            return "DATA_DIR " + dir + " does not exist any more";
        }
        if (!database.fileStillInPlace()) {
            return "the store file " + database.file() + " was removed or replaced";
        }
        Path probe = dir.resolve(PROBE_FILE);
        try {
            Files.write(probe, new byte[] { 1 }, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            Files.delete(probe);
            long free = Files.getFileStore(dir).getUsableSpace();
            long needed = config.store().minFreeBytes().asLongValue();
            if (free < needed) {
                return "only " + free + " bytes free in DATA_DIR, less than " + needed;
            }
        } catch (IOException e) {
            return "DATA_DIR " + dir + " is not writable: " + e;
        }
        return null;
    }
}
