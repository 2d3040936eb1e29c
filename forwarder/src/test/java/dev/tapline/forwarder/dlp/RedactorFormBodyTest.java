package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.redacted;
import static dev.tapline.forwarder.dlp.Expected.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactorFormBodyTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final Redactor redactor = new Redactor(DlpRules.standard());

    @Test
    void sensitiveFieldsAreReplacedKeepingOtherFieldsAndTheirEncoding() {
        byte[] body = utf8("username=bob%40example.com&password=p%40ss+word&remember=on&client_secret=cs");
        assertThat(utf8(redactor.redactBody(FORM, body, false))).isEqualTo(
                "username=bob%40example.com&password=" + redacted("p@ss word") + "&remember=on&client_secret="
                        + redacted("cs"));
    }

    @Test
    void charsetParameterDecidesHowEscapedBytesAreRead() {
        byte[] body = "user=j%F6rg&password=p%E4ss".getBytes(StandardCharsets.ISO_8859_1);
        byte[] redactedBody = redactor.redactBody(FORM + "; charset=ISO-8859-1", body, false);
        assertThat(new String(redactedBody, StandardCharsets.ISO_8859_1))
                .isEqualTo("user=j%F6rg&password=" + redacted("päss"));
    }

    @Test
    void patternsAreReplacedInOtherFieldValues() {
        byte[] body = utf8("card=4111-1111-1111-1111&cvv=123&ref=4111-1111-1111-1112");
        assertThat(utf8(redactor.redactBody(FORM, body, false)))
                .isEqualTo("card=" + redacted("4111-1111-1111-1111") + "&cvv=123&ref=4111-1111-1111-1112");
    }

    @Test
    void formWithoutSensitiveFieldsIsReturnedAsTheSameInstance() {
        byte[] body = utf8("q=shoes&page=2&sort=price%2Basc");
        assertThat(redactor.redactBody(FORM, body, false)).isSameAs(body);
    }

    @Test
    void truncatedFormHasItsLastValueReplacedAsFarAsItGoes() {
        byte[] body = utf8("a=1&password=hunt");
        assertThat(utf8(redactor.redactBody(FORM, body, true)))
                .isEqualTo("a=1&password=" + redacted("hunt"));
    }
}
