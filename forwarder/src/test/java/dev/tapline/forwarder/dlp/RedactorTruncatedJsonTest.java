package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.redacted;
import static dev.tapline.forwarder.dlp.Expected.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RedactorTruncatedJsonTest {

    private static final String JSON = "application/json";

    private final Redactor redactor = new Redactor(DlpRules.standard());

    private String redactTruncated(String body) {
        return utf8(redactor.redactBody(JSON, utf8(body), true));
    }

    @Test
    void truncatedBodyHasSensitivePairsReplacedAndItsTextKeptOtherwise() {
        assertThat(redactTruncated("{\"user\": \"bob\", \"password\" : \"hunter2\", \"profile\": {\"tok"))
                .isEqualTo("{\"user\": \"bob\", \"password\" : \"" + redacted("hunter2") + "\", \"profile\": {\"tok");
    }

    @Test
    void valueCutOffByTheTruncationIsStillReplaced() {
        assertThat(redactTruncated("{\"user\":\"bob\",\"password\":\"hun"))
                .isEqualTo("{\"user\":\"bob\",\"password\":\"" + redacted("hun"));
    }

    @Test
    void escapedValueIsHashedUnescaped() {
        assertThat(redactTruncated("[{\"secret\":\"a\\\"b\\u00e9\"},{\"x\":"))
                .isEqualTo("[{\"secret\":\"" + redacted("a\"bé") + "\"},{\"x\":");
    }

    @Test
    void numberAndBooleanValuesOfSensitiveKeysAreReplaced() {
        assertThat(redactTruncated("{\"token\": 12345, \"secret\": true, \"a\": [1, 2"))
                .isEqualTo("{\"token\": " + redacted("12345") + ", \"secret\": " + redacted("true") + ", \"a\": [1, 2");
    }

    @Test
    void patternsAreReplacedAnywhereInTheTruncatedText() {
        assertThat(redactTruncated("{\"note\":\"4111111111111111\",\"items\":[{\"id\":"))
                .isEqualTo("{\"note\":\"" + redacted("4111111111111111") + "\",\"items\":[{\"id\":");
    }

    @Test
    void quotedKeysInsideStringValuesDoNotConfuseTheFallback() {
        assertThat(redactTruncated("{\"msg\":\"say \\\"password\\\": \\\"no\\\"\",\"token\":\"t\",\"rest\":["))
                .isEqualTo("{\"msg\":\"say \\\"password\\\": \\\"no\\\"\",\"token\":\"" + redacted("t") + "\",\"rest\":[");
    }

    @Test
    void incompleteMultiByteCharacterAtTheCutIsKeptVerbatim() {
        byte[] full = utf8("{\"password\":\"x\",\"name\":\"é");
        byte[] cut = Arrays.copyOf(full, full.length - 1);
        byte[] redacted = redactor.redactBody(JSON, cut, true);

        byte[] expectedHead = utf8("{\"password\":\"" + redacted("x") + "\",\"name\":\"");
        byte[] expected = Arrays.copyOf(expectedHead, expectedHead.length + 1);
        expected[expectedHead.length] = full[full.length - 2];
        assertThat(redacted).containsExactly(expected);
    }

    @Test
    void invalidJsonThatIsNotTruncatedAlsoFallsBackToText() {
        assertThat(utf8(redactor.redactBody(JSON, utf8("{'a': 1, \"password\": \"x\"}"), false)))
                .isEqualTo("{'a': 1, \"password\": \"" + redacted("x") + "\"}");
    }

    @Test
    void textThatOnlyLooksLikeJsonHasPatternsReplacedEvenOutsideQuotes() {
        assertThat(utf8(redactor.redactBody(null, utf8("[INFO] paid with 4111111111111111"), false)))
                .isEqualTo("[INFO] paid with " + redacted("4111111111111111"));
        assertThat(utf8(redactor.redactBody(JSON, utf8("{oops} 4111 1111 1111 1111"), false)))
                .isEqualTo("{oops} " + redacted("4111 1111 1111 1111"));
    }

    @Test
    void truncatedBodyThatStillParsesIsRedactedAsJson() {
        assertThat(redactTruncated("{\"password\": \"x\"}"))
                .isEqualTo("{\"password\":\"" + redacted("x") + "\"}");
    }
}
