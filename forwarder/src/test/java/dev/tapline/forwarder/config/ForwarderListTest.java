package dev.tapline.forwarder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** deploy/forwarder.list, the documented env file, holds every variable the forwarder reads, with valid values. */
class ForwarderListTest {
    private static final Path LIST = Path.of("..", "deploy", "forwarder.list");

    @Test
    void theEnvFileHoldsEveryVariableWithAValueTheForwarderAccepts() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(LIST, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                assertThat(eq).as("KEY=value: %s", line).isPositive();
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }

        assertThat(env.keySet()).containsAll(variablesRead());
        assertThat(ForwarderEnv.check(env)).isEmpty();
    }

    /** The environment variables the forwarder reads: those of its declared settings. */
    private static Set<String> variablesRead() {
        Set<String> names = new TreeSet<>();
        ForwarderSettings.ALL.forEach(setting -> names.add(setting.env()));
        assertThat(names).contains("SERVICE_PORT", "HTTP_PORT", "DATA_DIR", "WITH_DLP");
        return names;
    }
}
