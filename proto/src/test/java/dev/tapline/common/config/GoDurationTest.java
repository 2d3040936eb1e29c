package dev.tapline.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void formatsLikeGo() {
        assertThat(GoDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
        assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.formatNanos(114)).isEqualTo("114ns");
        assertThat(GoDuration.formatNanos(1_500)).isEqualTo("1.5\u00b5s");
        assertThat(GoDuration.formatNanos(3_538_369)).isEqualTo("3.538369ms");
        assertThat(GoDuration.formatNanos(1_250_000_000)).isEqualTo("1.25s");
    }
}
