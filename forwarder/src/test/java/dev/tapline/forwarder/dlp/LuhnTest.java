package dev.tapline.forwarder.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LuhnTest {

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111111", "5500 0000 0000 0004", "3782-822463-10005", "6011111111111117",
            "79927398713"})
    void knownValidNumbersPass(String number) {
        assertThat(Luhn.isValid(number)).isTrue();
        assertThat(Expected.withLuhnCheckDigit(number.replaceAll("[ -]", "").substring(0,
                number.replaceAll("[ -]", "").length() - 1))).isEqualTo(number.replaceAll("[ -]", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111112", "79927398710", "", "--"})
    void otherNumbersFail(String number) {
        assertThat(Luhn.isValid(number)).isFalse();
    }
}
