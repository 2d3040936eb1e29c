package dev.tapline.goproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.tapline.common.config.SettingsTable;

class GoproxySettingsTest {

    @Test
    void readmesTableIsTheDeclarations() throws Exception {
        assertThat(SettingsTable.readmeTable(Path.of("../README.md"), "### goproxy", GoproxySettings.ALL))
                .as("README.md's goproxy table, written from GoproxySettings")
                .isEqualTo(SettingsTable.markdown(GoproxySettings.ALL));
    }
}
