package dev.tapline.deploy.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.deploy.Command;
import dev.tapline.deploy.RepoPaths;

/** deploy/registry/start-registry.sh refuses the ports it must not take (the image test runs it for real). */
class RegistryScriptTest {
    @TempDir
    Path dir;

    @Test
    void port5000IsRefusedItIsTheManualsAppPort() {
        var result = start("5000");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("5000").contains("manual");
    }

    @Test
    void aPortThatIsNoNumberIsRefused() {
        var result = start("50o1");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("50o1");
    }

    private Command.Result start(String port) {
        return Command.of(RepoPaths.deploy().resolve("registry/start-registry.sh").toString(), port)
                .env(Map.of("REGISTRY_DIR", dir.toString())).run();
    }
}
