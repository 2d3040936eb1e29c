package dev.tapline.forwarder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.capture.v1.ForwarderProto;
import dev.tapline.common.config.ConfigProblem;
import dev.tapline.forwarder.testing.DescriptorSets;

/** The start check with the DLP rules file, which the dlp room loads (moved here from ForwarderEnvTest). */
class ForwarderMainTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsNeedNoVariable() {
        assertThat(ForwarderMain.problems(Map.of())).isEmpty();
        assertThat(ForwarderMain.problems(Map.of("WITH_DLP", "true"))).as("standard rules").isEmpty();
    }

    @Test
    void aBadDlpRulesFileStopsTheStartWithTheFileAndTheProblem() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.json"), "{\"headers\": [\"x-a\"], \"colour\": 1}");

        assertThat(ForwarderMain.problems(Map.of("WITH_DLP", "true", "DLP_CONFIG", rules.toString())))
                .singleElement().satisfies(p -> {
                    assertThat(p.variable()).isEqualTo("DLP_CONFIG");
                    assertThat(p.value()).isEqualTo(rules.toString());
                    assertThat(p.describe()).contains(rules.toString()).contains("colour");
                });
        assertThat(ForwarderMain.problems(Map.of("WITH_DLP", "false", "DLP_CONFIG", "/nowhere.json")))
                .as("not loaded when DLP is off").isEmpty();
        assertThat(ForwarderMain.problems(Map.of("WITH_DLP", "true", "DLP_CONFIG", "/nowhere.json")))
                .extracting(ConfigProblem::variable).containsExactly("DLP_CONFIG");
    }

    @Test
    void aGrpcDescriptorSetThatCannotBeUsedStopsTheStartNamingTheSettingAndTheFile() throws Exception {
        Path proto = Files.writeString(dir.resolve("shop.proto"), "syntax = \"proto3\";\nmessage A { string b = 1; }\n");
        Path good = DescriptorSets.write(dir.resolve("forwarder.pb"), ForwarderProto.getDescriptor());
        String value = good + "," + proto;

        assertThat(ForwarderMain.problems(Map.of("GRPC_DESCRIPTOR_SET", value))).singleElement().satisfies(p -> {
            assertThat(p.variable()).isEqualTo("GRPC_DESCRIPTOR_SET");
            assertThat(p.value()).isEqualTo(value);
            assertThat(p.describe()).startsWith("GRPC_DESCRIPTOR_SET=\"" + value + "\" is not valid")
                    .contains(proto + ": not a FileDescriptorSet").contains("--descriptor_set_out");
        });
        assertThat(ForwarderMain.problems(Map.of("GRPC_DESCRIPTOR_SET", dir.resolve("nowhere.pb").toString())))
                .singleElement().satisfies(p -> assertThat(p.describe()).contains("nowhere.pb: cannot read it"));
        assertThat(ForwarderMain.problems(Map.of("GRPC_DESCRIPTOR_SET", good.toString()))).isEmpty();
        assertThat(ForwarderMain.problems(Map.of("GRPC_DESCRIPTOR_SET", ""))).as("empty is unset").isEmpty();
    }

    @Test
    void aBootstrapServerListOfWhichNoHostResolvesStopsTheStartNamingTheSetting() {
        // .invalid never resolves (RFC 6761); the check asks the system's resolver, as the Kafka client would
        assertThat(ForwarderMain.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "a.invalid:9092, b.invalid:9093")))
                .singleElement().satisfies(p -> {
                    assertThat(p.variable()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
                    assertThat(p.value()).isEqualTo("a.invalid:9092, b.invalid:9093");
                    assertThat(p.describe()).contains("resolvable").contains("a.invalid, b.invalid: unknown host");
                });
        // one resolvable host is enough, as for the Kafka client (it learns the others from the cluster)
        assertThat(ForwarderMain.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "a.invalid:9092,localhost:9092")))
                .isEmpty();
        assertThat(ForwarderMain.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "[::1]:9092,10.0.0.7:9092"))).isEmpty();
        // a malformed list is named once, by its rule, not looked up
        assertThat(ForwarderMain.problems(Map.of("KAFKA_BOOTSTRAP_SERVERS", "a.invalid")))
                .singleElement().satisfies(p -> assertThat(p.describe()).contains("host:port[,host:port...]"));
    }
}
