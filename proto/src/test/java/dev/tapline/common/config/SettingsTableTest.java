package dev.tapline.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SettingsTableTest {
    private static final String README = "# x\n\n### app\n\nSome words.\n\n| variable | default | meaning |\n|---|---|---|\n"
            + "| `OLD` | `1` | gone |\n\nAfter.\n\n| other | table |\n";

    @Test
    void theTableIsWrittenFromTheDeclarationsAndReplacedInPlace() {
        List<Setting> settings = List.of(Setting.of("A_B", "app.a-b", "5s", Rule.duration(), "waits"),
                Setting.without("C", "app.c", "required", Rule.required("c"), "see"));
        String table = SettingsTable.markdown(settings);
        assertThat(table).isEqualTo("| variable | default | meaning |\n|---|---|---|\n| `A_B` | `5s` | waits |\n"
                + "| `C` | required | see |\n");
        assertThat(SettingsTable.tableAfter(README, "### app")).startsWith("| variable").endsWith("| gone |\n");
        String replaced = SettingsTable.replaceTableAfter(README, "### app", table);
        assertThat(replaced).isEqualTo(README.replace("| `OLD` | `1` | gone |\n", "| `A_B` | `5s` | waits |\n"
                + "| `C` | required | see |\n"));
        assertThat(SettingsTable.tableAfter(replaced, "### app")).isEqualTo(table);
        assertThat(SettingsTable.tableAfter(README, "### none")).isEmpty();
    }
}
