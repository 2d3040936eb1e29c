package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.JWT;
import static dev.tapline.forwarder.dlp.Expected.redacted;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTargetTest {

    private final Redactor redactor = new Redactor(DlpRules.standard());

    @Test
    void sensitiveQueryValueIsReplacedKeepingOtherParametersOrderAndEncoding() {
        assertThat(redactor.redactTarget("/login?user=bob&password=hunter2&next=%2Fhome%3Fa%3D1"))
                .isEqualTo("/login?user=bob&password=" + redacted("hunter2") + "&next=%2Fhome%3Fa%3D1");
    }

    @Test
    void everyOccurrenceOfARepeatedSensitiveKeyIsReplaced() {
        assertThat(redactor.redactTarget("/x?token=a&id=7&token=b"))
                .isEqualTo("/x?token=" + redacted("a") + "&id=7&token=" + redacted("b"));
    }

    @Test
    void sensitiveKeyWithoutValueOrWithEmptyValueIsKeptAsTheSameInstance() {
        String target = "/x?password&token=&a=1&&";
        assertThat(redactor.redactTarget(target)).isSameAs(target);
    }

    @Test
    void encodedValueIsHashedDecodedAndReplacedAsAWhole() {
        assertThat(redactor.redactTarget("/x?password=p%40ss+word%21&a=%20"))
                .isEqualTo("/x?password=" + redacted("p@ss word!") + "&a=%20");
    }

    @Test
    void encodedKeyIsDecodedBeforeMatchingAndKeptAsSent() {
        assertThat(redactor.redactTarget("/x?pass%77ord=x"))
                .isEqualTo("/x?pass%77ord=" + redacted("x"));
    }

    @Test
    void malformedPercentEncodingIsHashedAsSent() {
        assertThat(redactor.redactTarget("/x?secret=100%zz"))
                .isEqualTo("/x?secret=" + redacted("100%zz"));
    }

    @Test
    void keysMatchIgnoringCaseDashesAndUnderscores() {
        assertThat(redactor.redactTarget("/x?apiKey=k1&API-KEY=k2&Client-Secret=s"))
                .isEqualTo("/x?apiKey=" + redacted("k1") + "&API-KEY=" + redacted("k2")
                        + "&Client-Secret=" + redacted("s"));
    }

    @Test
    void keysOnlyContainingASensitiveKeyAreNotMatched() {
        String target = "/x?csrf_token=abc&tokens=3&password_hint=pet";
        assertThat(redactor.redactTarget(target)).isSameAs(target);
    }

    @Test
    void fragmentIsKeptAsIsAndNotParsedAsQuery() {
        assertThat(redactor.redactTarget("/cb?access_token=abc#section?password=x"))
                .isEqualTo("/cb?access_token=" + redacted("abc") + "#section?password=x");
        String onlyFragment = "/cb#password=x";
        assertThat(redactor.redactTarget(onlyFragment)).isSameAs(onlyFragment);
    }

    @Test
    void absoluteFormTargetKeepsSchemeHostAndPath() {
        assertThat(redactor.redactTarget("https://api.example.com:8443/v1/items?api_key=k1&q=shoes"))
                .isEqualTo("https://api.example.com:8443/v1/items?api_key=" + redacted("k1") + "&q=shoes");
    }

    @Test
    void patternsAreReplacedInsideOtherQueryValues() {
        assertThat(redactor.redactTarget("/x?card=4111111111111111&bad=4111111111111112&id_hint=" + JWT))
                .isEqualTo("/x?card=" + redacted("4111111111111111") + "&bad=4111111111111112&id_hint="
                        + redacted(JWT));
    }

    @Test
    void patternInAnEncodedValueIsMatchedDecodedAndOnlyItsEncodedSpanIsReplaced() {
        assertThat(redactor.redactTarget("/pay?note=card%3A+4111+1111+1111+1111%21&x=1"))
                .isEqualTo("/pay?note=card%3A+" + redacted("4111 1111 1111 1111") + "%21&x=1");
    }

    @Test
    void targetWithoutQueryIsReturnedAsTheSameInstance() {
        String target = "/orders/4111111111111111/items";
        assertThat(redactor.redactTarget(target)).isSameAs(target);
        assertThat(redactor.redactTarget(null)).isNull();
    }
}
