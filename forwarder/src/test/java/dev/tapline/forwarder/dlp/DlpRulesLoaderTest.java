package dev.tapline.forwarder.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DlpRulesLoaderTest {

    @TempDir
    Path dir;

    private String file(String content) throws IOException {
        Path path = dir.resolve("dlp.json");
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path.toString();
    }

    private static String patternNames(DlpRules rules) {
        return String.join(",", rules.patterns().stream().map(ValuePattern::name).toList());
    }

    @Test
    void standardCoversCredentialHeadersKeysCardsAndJwts() {
        DlpRules rules = DlpRulesLoader.load("standard");
        assertThat(rules).isSameAs(DlpRules.standard());
        assertThat(rules.headers()).contains("authorization", "proxy-authorization", "cookie", "set-cookie",
                "x-api-key", "x-auth-token");
        assertThat(rules.keys()).contains("password", "passwd", "secret", "client_secret", "token",
                "access_token", "refresh_token", "api_key", "apikey");
        assertThat(patternNames(rules)).isEqualTo("card-number,jwt");
        assertThat(DlpRulesLoader.load("  Standard ")).isSameAs(DlpRules.standard());
    }

    @Test
    void rulesFileDefinesHeadersKeysBuiltInAndCustomPatterns() throws IOException {
        DlpRules rules = DlpRulesLoader.load(file("""
                { "headers": ["Authorization", "X-Api-Key"],
                  "keys": ["password", "Secret"],
                  "patterns": [ {"name": "card-number"}, {"name": "jwt"},
                                {"name": "ssn", "regex": "\\\\b\\\\d{3}-\\\\d{2}-\\\\d{4}\\\\b"} ] }
                """));
        assertThat(rules.headers()).containsExactly("authorization", "x-api-key");
        assertThat(rules.keys()).containsExactly("password", "secret");
        assertThat(patternNames(rules)).isEqualTo("card-number,jwt,ssn");
        assertThat(rules.patterns().get(2).regex()).isEqualTo("\\b\\d{3}-\\d{2}-\\d{4}\\b");
        assertThat(rules.patterns().get(2).isBuiltIn()).isFalse();
    }

    @Test
    void extendsStandardAddsTheStandardListsToTheFile() throws IOException {
        DlpRules rules = DlpRulesLoader.load(file("""
                {"extends": "standard", "headers": ["x-tenant-key"], "keys": ["pin"],
                 "patterns": [{"name": "iban", "regex": "[A-Z]{2}\\\\d{2}[A-Z0-9]{12,30}"}]}
                """));
        assertThat(rules.headers()).contains("authorization", "cookie", "x-tenant-key");
        assertThat(rules.keys()).contains("password", "token", "pin");
        assertThat(patternNames(rules)).isEqualTo("card-number,jwt,iban");
    }

    @Test
    void filePatternWithTheNameOfAStandardOneReplacesIt() throws IOException {
        DlpRules rules = DlpRulesLoader.load(file(
                "{\"extends\": \"standard\", \"patterns\": [{\"name\": \"jwt\", \"regex\": \"tok_[a-z]+\"}]}"));
        assertThat(patternNames(rules)).isEqualTo("card-number,jwt");
        assertThat(rules.patterns().get(1).regex()).isEqualTo("tok_[a-z]+");
    }

    @Test
    void emptyObjectMeansNoRules() throws IOException {
        DlpRules rules = DlpRulesLoader.load(file("{}"));
        assertThat(rules.headers()).isEmpty();
        assertThat(rules.keys()).isEmpty();
        assertThat(rules.patterns()).isEmpty();
    }

    @Test
    void parseErrorNamesTheFileLineAndColumn() throws IOException {
        String path = file("{\n  \"headers\": [\"a\"],\n  }\n");
        assertThatThrownBy(() -> DlpRulesLoader.load(path))
                .isInstanceOf(DlpConfigException.class)
                .hasMessageStartingWith("DLP_CONFIG " + path + ": line 3, column 3: unexpected character ('}'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level field       | {"header": ["a"]}                              | line 1, column 2: unknown field "header"; expected headers, keys, patterns or extends
            headers not an array          | {"headers": "authorization"}                   | line 1, column 13: "headers" must be an array of strings
            keys holding a number         | {"keys": ["a", 1]}                             | line 1, column 16: "keys" must contain only strings
            empty key                     | {"keys": [" "]}                                | line 1, column 11: "keys" must not contain an empty name
            patterns not an array         | {"patterns": {"name": "jwt"}}                  | line 1, column 14: "patterns" must be an array of objects
            pattern given as a string     | {"patterns": ["jwt"]}                          | line 1, column 15: "patterns" must contain only objects like {"name": "jwt"}
            pattern name not a string     | {"patterns": [{"name": 3}]}                    | line 1, column 24: pattern field "name" must be a non-empty string
            pattern without name          | {"patterns": [{"regex": "x"}]}                 | line 1, column 15: a pattern needs a "name"
            unknown pattern field         | {"patterns": [{"name": "x", "flags": "i"}]}    | line 1, column 29: unknown field "flags" in a pattern; expected name or regex
            unknown built-in              | {"patterns": [{"name": "iban"}]}               | line 1, column 15: unknown built-in pattern "iban"; built-ins are card-number, jwt (give a "regex" for a custom pattern)
            invalid regex                 | {"patterns": [{"name": "x", "regex": "(ab"}]}  | line 1, column 38: pattern "x": invalid regex: Unclosed group near index 3
            regex matching empty string   | {"patterns": [{"name": "x", "regex": "a*"}]}   | line 1, column 38: pattern "x": regex matches the empty string
            duplicate pattern             | {"patterns": [{"name": "jwt"}, {"name": "jwt"}]} | line 1, column 32: duplicate pattern "jwt"
            extends something else        | {"extends": "strict"}                          | line 1, column 13: "extends" must be "standard"
            extends of wrong type         | {"extends": true}                              | line 1, column 13: "extends" must be "standard"
            duplicate field               | {"keys": [], "keys": []}                       | line 1, column 14: duplicate field "keys"
            top level not an object       | ["authorization"]                              | line 1, column 1: expected a JSON object at the top level
            content after the object      | {} {}                                          | line 1, column 4: unexpected content after the top-level object
            """)
    void invalidRulesFileIsRejectedWithAMessageNamingFileAndProblem(String problem, String content, String message)
            throws IOException {
        String path = file(content);
        assertThatThrownBy(() -> DlpRulesLoader.load(path))
                .isInstanceOf(DlpConfigException.class)
                .hasMessage("DLP_CONFIG " + path + ": " + message);
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        String path = file("  \n");
        assertThatThrownBy(() -> DlpRulesLoader.load(path))
                .hasMessage("DLP_CONFIG " + path + ": the file is empty; expected a JSON object");
    }

    @Test
    void valueThatIsNeitherStandardNorAnExistingFileIsRejected() {
        String missing = dir.resolve("nope.json").toString();
        assertThatThrownBy(() -> DlpRulesLoader.load(missing))
                .isInstanceOf(DlpConfigException.class)
                .hasMessage("DLP_CONFIG " + missing + ": neither \"standard\" nor an existing file;"
                        + " expected \"standard\" or the path of a JSON rules file");
        assertThatThrownBy(() -> DlpRulesLoader.load("standrd"))
                .hasMessageStartingWith("DLP_CONFIG standrd: neither \"standard\" nor an existing file");
    }

    @Test
    void blankValueIsRejected() {
        assertThatThrownBy(() -> DlpRulesLoader.load(" "))
                .isInstanceOf(DlpConfigException.class)
                .hasMessage("DLP_CONFIG is empty; expected \"standard\" or the path of a JSON rules file");
    }

    @Test
    void directoryIsRejected() {
        assertThatThrownBy(() -> DlpRulesLoader.load(dir.toString()))
                .hasMessage("DLP_CONFIG " + dir + ": is a directory; expected \"standard\" or the path of a JSON rules file");
    }

    @Test
    void unreadableFileIsRejectedWithTheReason() throws IOException {
        String path = file("{}");
        assertThatThrownBy(() -> DlpRulesLoader.load(path, p -> {
            throw new AccessDeniedException(p.toString());
        }))
                .isInstanceOf(DlpConfigException.class)
                .hasMessage("DLP_CONFIG " + path + ": cannot read the file (AccessDeniedException: " + path + ")")
                .hasCauseInstanceOf(AccessDeniedException.class);
    }

    @Test
    void settingsTurnDlpOffUnlessWithDlpIsTrue() {
        assertThat(DlpRulesLoader.fromSettings(null, "standard")).isEmpty();
        assertThat(DlpRulesLoader.fromSettings("false", "/does/not/matter")).isEmpty();
        assertThat(DlpRulesLoader.fromSettings(" TRUE ", null)).containsSame(DlpRules.standard());
        assertThat(DlpRulesLoader.fromSettings("true", "standard")).containsSame(DlpRules.standard());
    }

    @Test
    void withDlpThatIsNeitherTrueNorFalseIsRejected() {
        assertThatThrownBy(() -> DlpRulesLoader.fromSettings("yes", "standard"))
                .isInstanceOf(DlpConfigException.class)
                .hasMessage("WITH_DLP must be true or false, not \"yes\"");
    }
}
