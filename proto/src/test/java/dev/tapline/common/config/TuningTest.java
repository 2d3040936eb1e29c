package dev.tapline.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TuningTest {
    private static final Tuning WINDOW = Tuning.count("app.window", "4", 1, 1024, "batches unacked");
    private static final Tuning BODY = Tuning.bytes("app.body", "16M", 0, Integer.MAX_VALUE, "body bytes");
    private static final Tuning LINGER = Tuning.millis("app.linger", "2ms", 0, 1_000, "commit wait");

    @Test
    void aValueInRangeHasNoProblemAndUnsetOrBlankIsTheDefault() {
        assertThat(WINDOW.problem("1024")).isNull();
        assertThat(WINDOW.problem(" 7 ")).isNull();
        assertThat(BODY.problem("64K")).isNull();
        assertThat(LINGER.problem("1s")).isNull();
        assertThat(LINGER.problem("0")).isNull();
        for (Tuning t : List.of(WINDOW, BODY, LINGER)) {
            assertThat(t.problem(null)).as(t.key()).isNull();
            assertThat(t.problem(" ")).as(t.key()).isNull();
        }
        assertThat(Tuning.count("app.x", "0", 1, 2, "x").problem(null)).as("a bad default is not hidden")
                .isEqualTo("app.x=0: allowed is 1 to 2");
    }

    @Test
    void aValueOutOfRangeIsNamedInItsUnit() {
        assertThat(WINDOW.problem("0")).isEqualTo("app.window=0: allowed is 1 to 1024");
        assertThat(WINDOW.problem("-1")).isEqualTo("app.window=-1: allowed is 1 to 1024");
        assertThat(WINDOW.problem("99999999999")).isEqualTo("app.window=99999999999: allowed is 1 to 1024");
        assertThat(BODY.problem("2G")).isEqualTo("app.body=2147483648: allowed is 0 to 2147483647");
        assertThat(LINGER.problem("1.5s")).isEqualTo("app.linger (ms)=1500: allowed is 0 to 1000");
        assertThat(LINGER.problem("-1s")).isEqualTo("app.linger (ms)=-1000: allowed is 0 to 1000");
    }

    @Test
    void valuesPastALongAreShownSaturatedNotOverflowed() {
        assertThat(BODY.problem("99999999999999999T")).isEqualTo("app.body=9223372036854775807: allowed is 0 to 2147483647");
        assertThat(LINGER.problem("9999999999999999s"))
                .isEqualTo("app.linger (ms)=9223372036854775807: allowed is 0 to 1000");
    }

    @Test
    void aValueOfTheWrongTypeIsLeftToQuarkus() {
        // Quarkus names it when it converts it; the check must not guess
        assertThatThrownBy(() -> WINDOW.problem("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BODY.problem("64KiB")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LINGER.problem("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readmesTableIsWrittenFromTheDeclarations() {
        assertThat(SettingsTable.tuningMarkdown(List.of(WINDOW, LINGER))).isEqualTo(
                "| key | default | allowed | meaning |\n|---|---|---|---|\n"
                        + "| `app.window` | `4` | 1 to 1024 | batches unacked |\n"
                        + "| `app.linger` | `2ms` | 0 to 1000 ms | commit wait |\n");
    }
}
