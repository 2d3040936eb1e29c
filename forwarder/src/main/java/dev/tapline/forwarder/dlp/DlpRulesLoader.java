package dev.tapline.forwarder.dlp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the {@code WITH_DLP} / {@code DLP_CONFIG} settings into {@link DlpRules}.
 *
 * <p>{@code DLP_CONFIG} is either {@code standard} (the built-in {@link DlpRules#standard()}; this
 * word wins over a file of that name) or the path of a JSON rules file, relative paths resolving
 * against the working directory. A rules file looks like this; every field is optional:
 *
 * <pre>{@code
 * { "headers":  ["authorization", "x-api-key"],
 *   "keys":     ["password", "secret"],
 *   "patterns": [ {"name": "card-number"}, {"name": "jwt"},
 *                 {"name": "ssn", "regex": "\\b\\d{3}-\\d{2}-\\d{4}\\b"} ],
 *   "extends":  "standard" }
 * }</pre>
 *
 * <ul>
 *   <li>{@code headers}: header names whose whole value is redacted; case-insensitive, exact.</li>
 *   <li>{@code keys}: query-parameter, form-field and JSON-object keys whose values are redacted;
 *       case-insensitive and ignoring {@code -} and {@code _}, so {@code api_key} also matches
 *       {@code apiKey} and {@code API-KEY}, but otherwise exact ({@code token} does not match
 *       {@code csrf_token}).</li>
 *   <li>{@code patterns}: value patterns redacted anywhere in text. Without {@code regex}, the name
 *       must be a built-in ({@code card-number}, {@code jwt}, see {@link BuiltInPatterns}); with
 *       one, the pattern is custom, in {@link java.util.regex.Pattern} syntax, and must not match
 *       the empty string.</li>
 *   <li>{@code extends}: only {@code "standard"}, which adds the standard headers, keys and
 *       patterns (a pattern of the file with the same name as a standard one replaces it).</li>
 * </ul>
 *
 * <p>Any problem (missing or unreadable file, JSON that does not parse, unknown field, wrong type,
 * invalid regex, unknown built-in) is a {@link DlpConfigException} naming the file and the problem,
 * with line and column where there is one.
 */
public final class DlpRulesLoader {

    /** The {@code DLP_CONFIG} value selecting the built-in rules. */
    public static final String STANDARD = "standard";

    /** Reads a file's bytes; a seam so that read failures can be tested without file permissions. */
    @FunctionalInterface
    interface FileReader {
        byte[] read(Path path) throws IOException;
    }

    private DlpRulesLoader() {
    }

    /**
     * Returns the rules selected by {@code WITH_DLP} and {@code DLP_CONFIG}: empty when DLP is off
     * ({@code WITH_DLP} unset, blank or {@code false}); {@code standard} when it is on and
     * {@code DLP_CONFIG} is unset or blank.
     *
     * @throws DlpConfigException when {@code WITH_DLP} is neither true nor false, or the rules
     *                            cannot be loaded
     */
    public static Optional<DlpRules> fromSettings(String withDlp, String dlpConfig) {
        String enabled = withDlp == null ? "" : withDlp.trim().toLowerCase(Locale.ROOT);
        if (enabled.isEmpty() || enabled.equals("false")) {
            return Optional.empty();
        }
        if (!enabled.equals("true")) {
            throw new DlpConfigException("WITH_DLP must be true or false, not \"" + withDlp + "\"");
        }
        return Optional.of(load(dlpConfig == null || dlpConfig.isBlank() ? STANDARD : dlpConfig));
    }

    /**
     * Loads the rules named by a {@code DLP_CONFIG} value: {@code standard} or a rules file path.
     *
     * @throws DlpConfigException when the value is blank, names no existing file, or the file is
     *                            unreadable or not a valid rules file
     */
    public static DlpRules load(String dlpConfig) {
        return load(dlpConfig, Files::readAllBytes);
    }

    static DlpRules load(String dlpConfig, FileReader reader) {
        if (dlpConfig == null || dlpConfig.isBlank()) {
            throw new DlpConfigException(
                    "DLP_CONFIG is empty; expected \"standard\" or the path of a JSON rules file");
        }
        String value = dlpConfig.trim();
        if (value.equalsIgnoreCase(STANDARD)) {
            return DlpRules.standard();
        }
        Path path = existingPath(value);
        if (Files.isDirectory(path)) {
            throw new DlpConfigException("DLP_CONFIG " + value
                    + ": is a directory; expected \"standard\" or the path of a JSON rules file");
        }
        byte[] content;
        try {
            content = reader.read(path);
        } catch (IOException e) {
            throw new DlpConfigException("DLP_CONFIG " + value + ": cannot read the file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + ")", e);
        }
        return RulesFileParser.parse(content, value);
    }

    private static Path existingPath(String value) {
        try {
            Path path = Path.of(value);
            if (Files.exists(path)) {
                return path;
            }
        } catch (InvalidPathException e) {
            // Not a usable path: report it like any other unknown value.
        }
        throw new DlpConfigException("DLP_CONFIG " + value + ": neither \"standard\" nor an existing file;"
                + " expected \"standard\" or the path of a JSON rules file");
    }
}
