package dev.tapline.forwarder.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.forwarder.testing.LogCapture;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TelemetryTest {

    @Inject
    TelemetryReporter reporter;

    @Test
    void theTelemetryLineCarriesTheCountersAsFields() {
        try (LogCapture log = LogCapture.of("dev.tapline.forwarder.telemetry")) {
            reporter.report();

            assertThat(log.lines()).singleElement().asString().startsWith("INFO Telemetry | namespace=")
                    .contains(" proxies=", " capturesReceived=", " capturesStored=", " capturesDuplicate=",
                            " capturesRejected=", " bytes=", " redactions=");
        }
    }
}
