package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.JWT;
import static dev.tapline.forwarder.dlp.Expected.redacted;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorHeaderTest {

    private final Redactor redactor = new Redactor(DlpRules.standard());

    @Test
    void sensitiveHeaderValueIsReplacedByTheHashOfTheWholeValue() {
        assertThat(redactor.redactHeader("authorization", "Bearer abc.def"))
                .isEqualTo(redacted("Bearer abc.def"));
    }

    @Test
    void headerNamesMatchCaseInsensitively() {
        assertThat(redactor.redactHeader("AUTHORIZATION", "Basic dXNlcjpwYXNz"))
                .isEqualTo(redacted("Basic dXNlcjpwYXNz"));
        assertThat(redactor.redactHeader("X-Api-Key", "k-123")).isEqualTo(redacted("k-123"));
        assertThat(redactor.redactHeader("Proxy-Authorization", "Basic eA==")).isEqualTo(redacted("Basic eA=="));
    }

    @Test
    void cookieAndSetCookieAreReplacedWhole() {
        assertThat(redactor.redactHeader("Cookie", "sid=abc; theme=dark"))
                .isEqualTo(redacted("sid=abc; theme=dark"));
        assertThat(redactor.redactHeader("Set-Cookie", "sid=abc; Path=/; HttpOnly"))
                .isEqualTo(redacted("sid=abc; Path=/; HttpOnly"));
    }

    @Test
    void nonSensitiveHeaderWithoutPatternIsReturnedAsTheSameInstance() {
        String value = "application/json; charset=utf-8";
        assertThat(redactor.redactHeader("Content-Type", value)).isSameAs(value);
    }

    @Test
    void jwtInsideNonSensitiveHeaderIsReplacedAloneKeepingTheRest() {
        assertThat(redactor.redactHeader("X-Debug-Context", "session=" + JWT + "; v=2"))
                .isEqualTo("session=" + redacted(JWT) + "; v=2");
    }

    @Test
    void cardNumberInNonSensitiveHeaderIsReplaced() {
        assertThat(redactor.redactHeader("X-Note", "card 4111-1111-1111-1111 used"))
                .isEqualTo("card " + redacted("4111-1111-1111-1111") + " used");
    }

    @Test
    void emptyAndNullValuesStayAsTheyAre() {
        assertThat(redactor.redactHeader("Authorization", "")).isEmpty();
        assertThat(redactor.redactHeader("Authorization", null)).isNull();
        assertThat(redactor.redactions()).isZero();
    }

    @Test
    void redactingAnAlreadyRedactedValueChangesNothing() {
        String once = redactor.redactHeader("Authorization", "Bearer x");
        assertThat(redactor.redactHeader("Authorization", once)).isSameAs(once);
        assertThat(redactor.redactions()).isEqualTo(1);
    }

    @Test
    void headersOfCustomRulesReplaceTheStandardOnes() {
        Redactor custom = new Redactor(DlpRules.of(List.of("X-Tenant-Secret"), List.of(), List.of()));
        assertThat(custom.redactHeader("x-tenant-secret", "s")).isEqualTo(redacted("s"));
        assertThat(custom.redactHeader("Authorization", "Bearer " + JWT)).isEqualTo("Bearer " + JWT);
    }
}
