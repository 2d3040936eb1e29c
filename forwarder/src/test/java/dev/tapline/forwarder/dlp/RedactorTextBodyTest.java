package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.JWT;
import static dev.tapline.forwarder.dlp.Expected.redacted;
import static dev.tapline.forwarder.dlp.Expected.utf8;
import static dev.tapline.forwarder.dlp.Expected.withLuhnCheckDigit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTextBodyTest {

    private static final String TEXT = "text/plain";

    private final Redactor redactor = new Redactor(DlpRules.standard());

    private String redactText(String contentType, String text) {
        return utf8(redactor.redactBody(contentType, utf8(text), false));
    }

    @Test
    void cardNumberPassingLuhnIsReplacedAndOneFailingLuhnIsNot() {
        assertThat(redactText(TEXT, "cards: 4111111111111111, 4111111111111112."))
                .isEqualTo("cards: " + redacted("4111111111111111") + ", 4111111111111112.");
    }

    @Test
    void cardNumbersSeparatedBySingleSpacesOrDashesAreReplacedWithTheirSeparators() {
        assertThat(redactText(TEXT, "a 4111 1111 1111 1111 b 5500-0000-0000-0004 c 3782 822463 10005"))
                .isEqualTo("a " + redacted("4111 1111 1111 1111") + " b " + redacted("5500-0000-0000-0004")
                        + " c " + redacted("3782 822463 10005"));
    }

    @Test
    void cardNumbersFrom13To19DigitsAreReplaced() {
        String thirteen = withLuhnCheckDigit("422222222222");
        String nineteen = withLuhnCheckDigit("623456789012345678");
        assertThat(redactText(TEXT, thirteen + " " + "x " + nineteen))
                .isEqualTo(redacted(thirteen) + " x " + redacted(nineteen));
    }

    @Test
    void digitRunsShorterThan13OrLongerThan19AreNotCardNumbers() {
        String twelve = withLuhnCheckDigit("41111111111");
        String twenty = withLuhnCheckDigit("4111111111111111111");
        String text = twelve + " / " + twenty + " / 0000" + "4111111111111111";
        assertThat(redactText(TEXT, text)).isEqualTo(text);
    }

    @Test
    void doubledSeparatorsSplitARunIntoShorterNumbers() {
        String text = "4111  1111 1111 1111 and 4111--1111-1111-1111";
        assertThat(redactText(TEXT, text)).isEqualTo(text);
    }

    @Test
    void jwtInTextIsReplaced() {
        assertThat(redactText(TEXT, "sent Bearer " + JWT + ", then logged out"))
                .isEqualTo("sent Bearer " + redacted(JWT) + ", then logged out");
    }

    @Test
    void unsignedJwtWithEmptySignatureIsReplaced() {
        String unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        assertThat(redactText(TEXT, "t=" + unsigned + " ok")).isEqualTo("t=" + redacted(unsigned) + " ok");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html; charset=UTF-8", "application/xml", "application/soap+xml",
            "application/javascript", "multipart/form-data; boundary=x", "application/vnd.acme.report"})
    void textLikeContentTypesGetPatternsReplaced(String contentType) {
        assertThat(redactText(contentType, "<p>4111111111111111</p>"))
                .isEqualTo("<p>" + redacted("4111111111111111") + "</p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "application/octet-stream", "application/pdf", "application/grpc+proto",
            "font/woff2", "video/mp4"})
    void binaryContentTypesAreLeftUntouched(String contentType) {
        byte[] body = utf8("4111111111111111 " + JWT);
        assertThat(redactor.redactBody(contentType, body, false)).isSameAs(body);
    }

    @Test
    void bodyThatIsNotValidUtf8IsLeftUntouched() {
        byte[] body = utf8("x 4111111111111111 y");
        body[0] = (byte) 0xFF;
        assertThat(redactor.redactBody(TEXT, body, false)).isSameAs(body);
    }

    @Test
    void declaredCharsetIsUsedToDecodeAndReencode() {
        byte[] body = "Zoë paid 4111111111111111".getBytes(StandardCharsets.ISO_8859_1);
        byte[] redactedBody = redactor.redactBody("text/plain; charset=\"iso-8859-1\"", body, false);
        assertThat(redactedBody).containsExactly(
                ("Zoë paid " + redacted("4111111111111111")).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void customRegexPatternIsReplaced() {
        Redactor custom = new Redactor(DlpRules.of(List.of(), List.of(),
                List.of(ValuePattern.custom("ssn", "\\b\\d{3}-\\d{2}-\\d{4}\\b"))));
        assertThat(utf8(custom.redactBody(TEXT, utf8("SSN 123-45-6789, not 4111111111111111"), false)))
                .isEqualTo("SSN " + redacted("123-45-6789") + ", not 4111111111111111");
    }

    @Test
    void existingReplacementsAreNotRedactedAgain() {
        String earlier = redacted("4111111111111111");
        String text = "old " + earlier + " new 4111111111111111";
        assertThat(redactText(TEXT, text)).isEqualTo("old " + earlier + " new " + redacted("4111111111111111"));
    }

    @Test
    void textWithoutMatchesIsReturnedAsTheSameInstance() {
        byte[] body = utf8("order 1234567890 shipped on 2024-05-01; call +1 555 0100");
        assertThat(redactor.redactBody(TEXT, body, false)).isSameAs(body);
        byte[] empty = new byte[0];
        assertThat(redactor.redactBody(TEXT, empty, false)).isSameAs(empty);
        assertThat(redactor.redactBody(TEXT, null, false)).isNull();
    }
}
