package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.JWT;
import static dev.tapline.forwarder.dlp.Expected.redacted;
import static dev.tapline.forwarder.dlp.Expected.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorJsonBodyTest {

    private static final String JSON = "application/json";

    private final Redactor redactor = new Redactor(DlpRules.standard());

    private String redact(String contentType, String body) {
        return utf8(redactor.redactBody(contentType, utf8(body), false));
    }

    @Test
    void sensitiveKeysAreReplacedInObjectsInArraysInObjects() {
        String body = "{\"users\": [{\"name\": \"ann\", \"password\": \"p1\", \"profile\": {\"secret\": \"s\"}}],"
                + " \"meta\": {\"pages\": [[{\"token\": \"t\"}]]}}";
        assertThat(redact(JSON, body)).isEqualTo(
                "{\"users\":[{\"name\":\"ann\",\"password\":\"" + redacted("p1") + "\",\"profile\":{\"secret\":\""
                        + redacted("s") + "\"}}],\"meta\":{\"pages\":[[{\"token\":\"" + redacted("t") + "\"}]]}}");
    }

    @Test
    void sensitiveKeyHoldingAnObjectHasEveryScalarInsideReplacedKeepingStructure() {
        String body = "{\"secret\":{\"a\":\"x\",\"b\":[1,true,null,{\"c\":\"y\"}],\"d\":{},\"e\":[]},\"f\":\"z\"}";
        assertThat(redact(JSON, body)).isEqualTo(
                "{\"secret\":{\"a\":\"" + redacted("x") + "\",\"b\":[\"" + redacted("1") + "\",\""
                        + redacted("true") + "\",null,{\"c\":\"" + redacted("y") + "\"}],\"d\":{},\"e\":[]},\"f\":\"z\"}");
    }

    @Test
    void sensitiveKeyHoldingAnArrayHasEachElementReplaced() {
        assertThat(redact(JSON, "{\"password\":[\"a\",\"b\"],\"n\":[\"c\"]}"))
                .isEqualTo("{\"password\":[\"" + redacted("a") + "\",\"" + redacted("b") + "\"],\"n\":[\"c\"]}");
    }

    @Test
    void numbersAndBooleansUnderSensitiveKeysBecomeStringsHashedAsWritten() {
        assertThat(redact(JSON, "{\"token\": 12.50, \"secret\": false, \"passwd\": -1e3, \"count\": 2}"))
                .isEqualTo("{\"token\":\"" + redacted("12.50") + "\",\"secret\":\"" + redacted("false")
                        + "\",\"passwd\":\"" + redacted("-1e3") + "\",\"count\":2}");
    }

    @Test
    void nullAndEmptyStringUnderSensitiveKeysStayAndLeaveTheBodyUntouched() {
        byte[] body = utf8("{ \"password\": null, \"token\": \"\" }");
        assertThat(redactor.redactBody(JSON, body, false)).isSameAs(body);
    }

    @Test
    void unicodeValuesAreHashedAsUtf8AndOtherUnicodeIsKept() {
        assertThat(redact(JSON, "{\"name\":\"Zoë 日本 😀\",\"password\":\"pässwörd✓\",\"secret\":\"caf\\u00e9\"}"))
                .isEqualTo("{\"name\":\"Zoë 日本 😀\",\"password\":\"" + redacted("pässwörd✓")
                        + "\",\"secret\":\"" + redacted("café") + "\"}");
    }

    @Test
    void otherValuesAreKeptExactlyAndTheBodyIsReserialisedCompactly() {
        String body = "{\n  \"id\": 123456789012345678901234567890,\n  \"ratio\": 1.000,\n  \"ok\": true,\n"
                + "  \"quote\": \"a \\\"b\\\" \\\\ c\",\n  \"password\": \"x\"\n}\n";
        assertThat(redact(JSON, body)).isEqualTo("{\"id\":123456789012345678901234567890,\"ratio\":1.000,\"ok\":true,"
                + "\"quote\":\"a \\\"b\\\" \\\\ c\",\"password\":\"" + redacted("x") + "\"}");
    }

    @Test
    void keysMatchIgnoringCaseDashesAndUnderscores() {
        assertThat(redact(JSON, "{\"apiKey\":\"k\",\"Client-Secret\":\"s\",\"csrf_token\":\"c\"}"))
                .isEqualTo("{\"apiKey\":\"" + redacted("k") + "\",\"Client-Secret\":\"" + redacted("s")
                        + "\",\"csrf_token\":\"c\"}");
    }

    @Test
    void patternsAreReplacedInStringValuesButNotInNumbers() {
        assertThat(redact(JSON, "{\"note\":\"paid with 4111 1111 1111 1111 today\",\"n\":4111111111111111,"
                + "\"auth\":\"Bearer " + JWT + "\"}"))
                .isEqualTo("{\"note\":\"paid with " + redacted("4111 1111 1111 1111") + " today\","
                        + "\"n\":4111111111111111,\"auth\":\"Bearer " + redacted(JWT) + "\"}");
    }

    @Test
    void structuredSuffixAndNdjsonContentTypesAreTreatedAsJson() {
        assertThat(redact("application/problem+json; charset=utf-8", "{\"secret\":\"s\"}"))
                .isEqualTo("{\"secret\":\"" + redacted("s") + "\"}");
        assertThat(redact("application/x-ndjson", "{\"password\":\"a\"}\n{\"password\":\"b\"}\n"))
                .isEqualTo("{\"password\":\"" + redacted("a") + "\"}\n{\"password\":\"" + redacted("b") + "\"}");
    }

    @Test
    void bodyWithUnknownContentTypeIsTreatedAsJsonWhenItStartsLikeJson() {
        assertThat(redact(null, "  \n[{\"password\": \"x\"}]"))
                .isEqualTo("[{\"password\":\"" + redacted("x") + "\"}]");
        assertThat(redact("application/vnd.acme.v2", "{\"token\": \"t\"}"))
                .isEqualTo("{\"token\":\"" + redacted("t") + "\"}");
    }

    @Test
    void bodyWithoutAnyCandidateIsReturnedAsTheSameInstance() {
        byte[] body = utf8("{\n  \"user\": \"bob\",\n  \"items\": [1, 2, 3]\n}");
        assertThat(redactor.redactBody(JSON, body, false)).isSameAs(body);
    }

    @Test
    void bodyWhoseCandidatesAllTurnOutHarmlessIsReturnedAsTheSameInstance() {
        byte[] body = utf8("{ \"tokens\": 3, \"password_policy\": \"strong\", \"ts\": \"4111111111111112\" }");
        assertThat(redactor.redactBody(JSON, body, false)).isSameAs(body);
    }

    @Test
    void longDigitRunsOutsideStringsDoNotMakeABodyACandidate() {
        byte[] body = utf8("{\"createdAt\": 1700000000000, \"card\": 4111111111111111}");
        assertThat(redactor.redactBody(JSON, body, false)).isSameAs(body);
    }

    @Test
    void utf8ByteOrderMarkIsKept() {
        byte[] body = utf8("\uFEFF{\"password\":\"x\"}");
        assertThat(utf8(redactor.redactBody(JSON, body, false)))
                .isEqualTo("\uFEFF{\"password\":\"" + redacted("x") + "\"}");
    }

    @Test
    void redactingARedactedBodyAgainChangesNothing() {
        byte[] once = redactor.redactBody(JSON, utf8("{\"password\":\"x\",\"n\":\"4111111111111111\"}"), false);
        assertThat(redactor.redactBody(JSON, once, false)).isSameAs(once);
    }
}
