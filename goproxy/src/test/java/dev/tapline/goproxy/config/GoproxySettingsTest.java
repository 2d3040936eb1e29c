package dev.tapline.goproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.SettingsTable;

class GoproxySettingsTest {

    @Test
    void readmesTableIsTheDeclarations() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(SettingsTable.tableAfter(readme, "### goproxy"))
                .as("README.md's goproxy table, written from GoproxySettings")
                .isEqualTo(SettingsTable.markdown(GoproxySettings.ALL));
    }
}
