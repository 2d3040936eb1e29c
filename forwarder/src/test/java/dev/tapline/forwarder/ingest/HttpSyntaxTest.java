package dev.tapline.forwarder.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The hand-written checks accept exactly what the validator's former regular expressions accepted. */
class HttpSyntaxTest {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,64}");
    private static final Pattern VERSION = Pattern.compile("HTTP/\\d(\\.\\d)?");

    @Test
    void everyCharacterAloneAndInsideATokenIsJudgedAsTheRegexJudgesIt() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            for (String s : List.of(String.valueOf(c), "X-" + c + "-Y", c + "Accept")) {
                assertThat(HttpSyntax.isToken(s)).as("%s (U+%04X)", s, (int) c).isEqualTo(TOKEN.matcher(s).matches());
            }
        }
    }

    @Test
    void tokensAreOneToSixtyFourCharacters() {
        for (int n = 0; n <= 70; n++) {
            String s = "a".repeat(n);
            assertThat(HttpSyntax.isToken(s)).as("length %d", n).isEqualTo(TOKEN.matcher(s).matches());
        }
    }

    @Test
    void randomNamesAndMethodsGetTheSameAnswer() {
        Random random = new Random(7);
        String alphabet = "aZ09-_.!~ :\t\r\n\u00e9\u0100(),;/\"@[]{}=?\\\u007f\u0000";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(68);
            for (int k = 0; k < n; k++) {
                s.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : (char) ('a' + random.nextInt(26)));
            }
            String t = s.toString();
            assertThat(HttpSyntax.isToken(t)).as("%s", t).isEqualTo(TOKEN.matcher(t).matches());
        }
    }

    @Test
    void versionsAreHttpSlashADigitAndOptionallyADotAndADigit() {
        List<String> candidates = new ArrayList<>(List.of("", "HTTP/", "HTTP/1", "HTTP/1.", "HTTP/1.1", "HTTP/2",
                "HTTP/10", "HTTP/1.10", "http/1.1", "HTTP/1,1", "HTTP/1.1 ", " HTTP/1.1", "HTTPS/1.1", "HTTP/\u0661.1",
                "HTTP/1.\u0661", "HTTQ/1.1", "XTTP/1.1", "HTTP\\1.1"));
        String chars = "0159./ aH\u0660";
        for (char a : chars.toCharArray()) {
            candidates.add("HTTP/" + a);
            for (char b : chars.toCharArray()) {
                for (char c : chars.toCharArray()) {
                    candidates.add("HTTP/" + a + b + c);
                    candidates.add("HTTP/" + a + b);
                }
            }
        }
        for (String v : candidates) {
            assertThat(HttpSyntax.isVersion(v)).as("%s", v).isEqualTo(VERSION.matcher(v).matches());
        }
    }
}
