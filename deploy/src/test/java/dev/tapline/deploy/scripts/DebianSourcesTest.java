package dev.tapline.deploy.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.deploy.Command;
import dev.tapline.deploy.RepoPaths;

/**
 * deploy/base-image/debian-sources.sh reads the mirror and suites from apt's own files, in both formats apt
 * knows, so the base image comes from the machine's mirror without a host name in our scripts.
 */
class DebianSourcesTest {
    @TempDir
    Path apt;

    @Test
    void readsOneLineAndDeb822SourcesInAptsOrder() throws IOException {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list"), """
                # deb http://commented.example/debian bookworm main
                deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main contrib
                deb-src http://mirror.example/debian bookworm main
                deb http://mirror.example/other bookworm contrib
                """);
        Files.writeString(apt.resolve("sources.list.d/debian.sources"), """
                Types: deb deb-src
                URIs: http://deb.example/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By:
                 -----BEGIN PGP PUBLIC KEY BLOCK-----
                 Suites: not-a-field
                 -----END PGP PUBLIC KEY BLOCK-----

                # the security archive
                Types: deb
                URIs: http://security.example/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                URIs: http://disabled.example/debian
                Suites: bookworm
                Components: main
                Enabled: no
                """);
        Files.writeString(apt.resolve("sources.list.d/other.sources.disabled"), """
                Types: deb
                URIs: http://ignored.example/debian
                Suites: bookworm
                Components: main
                """);

        var result = Command.of(RepoPaths.deploy().resolve("base-image/debian-sources.sh").toString())
                .env(Map.of("APT_ETC", apt.toString())).run().ok();

        assertThat(result.output().lines()).containsExactly(
                "http://mirror.example/debian bookworm",
                "http://deb.example/debian bookworm",
                "http://deb.example/debian bookworm-updates",
                "http://security.example/debian-security bookworm-security");
    }

    @Test
    void noSourcesPrintsNothing() {
        var result = Command.of(RepoPaths.deploy().resolve("base-image/debian-sources.sh").toString())
                .env(Map.of("APT_ETC", apt.toString())).run().ok();
        assertThat(result.output()).isEmpty();
    }
}
