package dev.tapline.goproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.ConfigProblem;

class GoproxyEnvTest {
    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("PROXY_TYPE", "reverse");
        env.put("PROXY_IN_PORT", "4143");
        env.put("REVERSE_PROXY_HOST", "app.local");
        env.put("REVERSE_PROXY_PORT", "5000");
        env.put("APP_LABEL", "shop");
        env.put("FORWARDER_ADDR", "forwarder:8888");
        return env;
    }

    @Test
    void theManualsSettingsAreAccepted() {
        assertThat(GoproxyEnv.check(valid())).isEmpty();
    }

    @Test
    void otherProxyTypesAreRefusedAsNotSupportedYet() {
        Map<String, String> env = valid();
        env.put("PROXY_TYPE", "transparent");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe)
                .containsExactly("PROXY_TYPE=\"transparent\" is not valid: allowed is reverse (transparent is not supported yet)");
        env.put("PROXY_TYPE", "sideways");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::allowed)
                .containsExactly("reverse (forward, dual and transparent are not supported yet)");
    }

    @Test
    void missingRequiredAndBadValuesAreEachNamed() {
        Map<String, String> env = valid();
        env.remove("REVERSE_PROXY_HOST");
        env.put("REVERSE_PROXY_PORT", "0");
        env.put("CAPTURE_QUEUE_BYTES", "lots");
        env.put("IDLE_TIMEOUT", "-5s");
        env.put("LOG_LEVEL", "loud");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable)
                .containsExactly("REVERSE_PROXY_HOST", "REVERSE_PROXY_PORT", "LOG_LEVEL", "IDLE_TIMEOUT", "CAPTURE_QUEUE_BYTES");
    }

    @Test
    void bodyAndBatchCapsMustLetEveryBatchFitInOneUpload() {
        Map<String, String> env = valid();
        env.put("CAPTURE_BODY_BYTES", "4M");
        env.put("CAPTURE_BATCH_BYTES", "4M");
        assertThat(GoproxyEnv.check(env)).isEmpty();
        env.put("CAPTURE_BODY_BYTES", "10M");
        env.put("CAPTURE_BATCH_BYTES", "4097K");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::describe).containsExactly(
                "CAPTURE_BODY_BYTES=\"10M\" is not valid: allowed is a size in bytes of at most 4194304 (a batch of captures"
                        + " must fit in the forwarder's 16 MiB upload message)",
                "CAPTURE_BATCH_BYTES=\"4097K\" is not valid: allowed is a size in bytes of at most 4194304 (a batch of"
                        + " captures must fit in the forwarder's 16 MiB upload message)");
    }
}
