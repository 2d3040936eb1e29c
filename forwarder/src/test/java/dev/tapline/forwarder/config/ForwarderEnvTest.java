package dev.tapline.forwarder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.common.config.ConfigProblem;

class ForwarderEnvTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsNeedNoVariable() {
        assertThat(ForwarderEnv.check(Map.of())).isEmpty();
    }

    @Test
    void intervalsMustLetAProxyCheckInBeforeItIsReaped() {
        assertThat(ForwarderEnv.check(Map.of("REAP_AFTER", "0s"))).extracting(ConfigProblem::variable)
                .containsExactly("REAP_AFTER");
        assertThat(ForwarderEnv.check(Map.of("REAP_AFTER", "10s", "HEARTBEAT_INTERVAL", "10s")))
                .extracting(ConfigProblem::variable).containsExactly("HEARTBEAT_INTERVAL");
        assertThat(ForwarderEnv.check(Map.of("REAP_AFTER", "PT2M", "HEARTBEAT_INTERVAL", "30s"))).isEmpty();
        assertThat(ForwarderEnv.check(Map.of("HEARTBEAT_INTERVAL", "60s"))).extracting(ConfigProblem::allowed)
                .as("names REAP_AFTER's default when it is unset").containsExactly(
                        "a duration above 0 and shorter than REAP_AFTER (45s), such as a third of it");
        assertThat(ForwarderEnv.check(Map.of("SERVICE_PORT", "0", "REAP_AFTER", "30d")))
                .as("another variable's problem does not hide this one").extracting(ConfigProblem::variable)
                .containsExactly("SERVICE_PORT", "REAP_AFTER");
    }

    @Test
    void tokensAndTheDataDirAreChecked() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        assertThat(ForwarderEnv.check(Map.of("FORWARDER_TOKEN", "has space", "API_TOKEN", "ok-token",
                "DATA_DIR", file.toString()))).satisfiesExactly(
                        p -> assertThat(p.describe()).isEqualTo(
                                "FORWARDER_TOKEN=\"(9 characters)\" is not valid: allowed is visible ASCII characters without spaces"),
                        p -> assertThat(p.variable()).isEqualTo("DATA_DIR"));
    }
}
