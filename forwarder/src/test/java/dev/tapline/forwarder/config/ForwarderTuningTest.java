package dev.tapline.forwarder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class ForwarderTuningTest {

    /** The config as the app reads it, its mapping built (so that each value converts as it does at run time). */
    private static SmallRyeConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100,
                        new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .withSources(ForwarderConfigSources.of(Map.of()))
                // the declared defaults feed both mappings, so both must be known
                .withMapping(ForwarderConfig.class).withMapping(KafkaConfig.class).build();
        config.getConfigMapping(ForwarderConfig.class);
        return config;
    }

    @Test
    void theDefaultsAreInRange() {
        assertThat(ForwarderTuning.problems(config(Map.of()))).isEmpty();
    }

    @Test
    void eachValueOutOfRangeIsNamedWithWhatIsAllowed() {
        assertThat(ForwarderTuning.problems(config(Map.of("forwarder.upload.window", "0",
                "forwarder.upload.prepare-threads", "0", "forwarder.store.group-commit-records", "-1",
                "forwarder.store.retention-interval", "0s", "forwarder.limits.max-headers", "0")))).containsExactly(
                        "forwarder.upload.window=0: allowed is 1 to 1024",
                        "forwarder.upload.prepare-threads=0: allowed is 1 to 256",
                        "forwarder.limits.max-headers=0: allowed is 1 to 1000000",
                        "forwarder.store.group-commit-records=-1: allowed is 1 to 1000000",
                        "forwarder.store.retention-interval (ms)=0: allowed is 1 to 3153600000000");
    }

    @Test
    void aGroupCommitLingerAboveOneSecondIsRefusedAndZeroAllowed() {
        assertThat(ForwarderTuning.problems(config(Map.of("forwarder.store.group-commit-linger", "5s"))))
                .containsExactly("forwarder.store.group-commit-linger (ms)=5000: allowed is 0 to 1000");
        assertThat(ForwarderTuning.problems(config(Map.of("forwarder.store.group-commit-linger", "0s")))).isEmpty();
    }

    @Test
    void valuesTooLargeForALongAreNamedNotThrown() {
        // MemorySize.asLongValue() and Duration.toMillis() would throw before any line could name the setting
        assertThat(ForwarderTuning.problems(config(Map.of("forwarder.limits.max-body-bytes", "99999999999999999T",
                "forwarder.store.min-free-bytes", "2P", "forwarder.store.retention-interval", "9999999999999999s"))))
                .containsExactly(
                        "forwarder.limits.max-body-bytes=9223372036854775807: allowed is 0 to 2147483647",
                        "forwarder.store.retention-interval (ms)=9223372036854775807: allowed is 1 to 3153600000000",
                        "forwarder.store.min-free-bytes=2251799813685248: allowed is 0 to 1125899906842624");
    }

    @Test
    void theValuesTheForwarderStartsWithAreCheckedBeforeQuarkusStarts() {
        // read as Quarkus reads them: a system property here; the environment and application.properties alike
        assertThat(ForwarderTuning.problemsBeforeStart()).isEmpty();
        System.setProperty("forwarder.upload.prepare-threads", "0");
        System.setProperty("forwarder.store.group-commit-linger", "2s");
        try {
            assertThat(ForwarderTuning.problemsBeforeStart()).containsExactly(
                    "forwarder.upload.prepare-threads=0: allowed is 1 to 256",
                    "forwarder.store.group-commit-linger (ms)=2000: allowed is 0 to 1000");
        } finally {
            System.clearProperty("forwarder.upload.prepare-threads");
            System.clearProperty("forwarder.store.group-commit-linger");
        }
    }

    @Test
    void valuesThatCannotBeReadBeforeTheStartAreLeftToQuarkus() {
        // Quarkus reports a value it cannot convert itself; the check before the start must not stop it instead
        System.setProperty("forwarder.upload.window", "abc");
        try {
            assertThat(ForwarderTuning.problemsBeforeStart()).isEmpty();
        } finally {
            System.clearProperty("forwarder.upload.window");
        }
    }
}
