package dev.tapline.forwarder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.common.config.SettingsTable;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class ForwarderSettingsTest {

    private static ForwarderConfig config(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100,
                        new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withSources(ForwarderConfigSources.of(env)).withMapping(ForwarderConfig.class)
                .withMapping(KafkaConfig.class).build();
        return config.getConfigMapping(ForwarderConfig.class);
    }

    @Test
    void readmesTableIsTheDeclarations() throws Exception {
        assertThat(SettingsTable.readmeTable(Path.of("../README.md"), "### forwarder", ForwarderSettings.ALL))
                .as("README.md's forwarder table, written from ForwarderSettings")
                .isEqualTo(SettingsTable.markdown(ForwarderSettings.ALL));
    }

    @Test
    void readmesTuningTableIsTheDeclarations() throws Exception {
        assertThat(SettingsTable.readmeTable(Path.of("../README.md"), "#### forwarder tuning",
                SettingsTable.tuningMarkdown(ForwarderTuning.ALL)))
                .as("README.md's forwarder tuning table, written from ForwarderTuning")
                .isEqualTo(SettingsTable.tuningMarkdown(ForwarderTuning.ALL));
    }

    @Test
    void theTuningDefaultsFeedTheMapping() {
        ForwarderConfig defaults = config(Map.of());
        assertThat(defaults.upload().window()).isEqualTo(4);
        assertThat(defaults.limits().maxBodyBytes().asLongValue()).isEqualTo(16L << 20);
        assertThat(defaults.store().groupCommitLinger()).isEqualTo(Duration.ofMillis(2));
        for (ForwarderTuning knob : ForwarderTuning.values()) {
            assertThat(knob.tuning().problem(null)).as(knob + "'s default is in its range").isNull();
        }
    }

    @Test
    void theVariablesAndTheDefaultsFeedTheMapping() {
        ForwarderConfig defaults = config(Map.of());
        assertThat(defaults.servicePort()).isEqualTo(8888);
        assertThat(defaults.reapAfter()).hasSeconds(45);
        assertThat(defaults.heartbeatInterval()).hasSeconds(15);
        assertThat(defaults.token()).isEmpty();

        ForwarderConfig set = config(Map.of("SERVICE_PORT", " 9999 ", "FORWARDER_TOKEN", "t", "RETENTION_AGE", ""));
        assertThat(set.servicePort()).isEqualTo(9999);
        assertThat(set.token()).contains("t");
        assertThat(set.retentionAge()).as("empty is unset").hasDays(7);
    }

    @Test
    void theKafkaSettingsFeedTheirMapping() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 100,
                        new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withSources(ForwarderConfigSources.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092")))
                .withMapping(ForwarderConfig.class).withMapping(KafkaConfig.class).build();
        KafkaConfig kafka = config.getConfigMapping(KafkaConfig.class);
        assertThat(kafka.topic()).isEqualTo("tapline.captures");
        assertThat(kafka.format()).isEqualTo(KafkaConfig.Format.JSON);
        assertThat(kafka.effectiveSink()).as("bootstrap servers set, SINK unset").isEqualTo(KafkaConfig.Sink.KAFKA);
    }

    @Test
    void reapAfterAloneStartsWithAHeartbeatOfAThirdOfItAtMost15s() {
        assertThat(ForwarderEnv.check(Map.of("REAP_AFTER", "5s"))).isEmpty();
        assertThat(config(Map.of("REAP_AFTER", "5s")).heartbeatInterval()).isEqualTo(Duration.ofMillis(5000).dividedBy(3));
        assertThat(config(Map.of("REAP_AFTER", "2h")).heartbeatInterval()).hasSeconds(15);
        assertThat(config(Map.of("REAP_AFTER", "5s", "HEARTBEAT_INTERVAL", "1s")).heartbeatInterval()).hasSeconds(1);
        assertThat(ForwarderEnv.check(Map.of("REAP_AFTER", "5s", "HEARTBEAT_INTERVAL", "15s")))
                .as("an explicit bad pair is still refused").extracting(ConfigProblem::describe).containsExactly(
                        "HEARTBEAT_INTERVAL=\"15s\" is not valid: allowed is a duration above 0 and shorter than"
                                + " REAP_AFTER (5s), such as a third of it");
    }
}
