package dev.tapline.forwarder.dlp;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A named pattern of sensitive values, redacted wherever it occurs in text: header values, query and
 * form values, JSON string values and text bodies. Only the matched substring is replaced.
 *
 * <p>Besides its compiled regex, a pattern may carry a cheap necessary condition that lets whole
 * texts be skipped without running the regex, and a validator that rejects regex matches (the Luhn
 * check of {@code card-number}). Instances are immutable and thread-safe.
 *
 * @see BuiltInPatterns
 */
public final class ValuePattern {

    private final String name;
    private final Pattern regex;
    private final boolean builtIn;
    private final Predicate<String> mightOccurIn;
    private final Predicate<CharSequence> accepts;

    ValuePattern(String name, Pattern regex, boolean builtIn,
                 Predicate<String> mightOccurIn, Predicate<CharSequence> accepts) {
        this.name = Objects.requireNonNull(name, "name");
        this.regex = Objects.requireNonNull(regex, "regex");
        this.builtIn = builtIn;
        this.mightOccurIn = mightOccurIn;
        this.accepts = accepts;
    }

    /**
     * Compiles a custom pattern.
     *
     * @throws PatternSyntaxException when {@code regex} is not a valid {@link Pattern}
     * @throws IllegalArgumentException when {@code regex} matches the empty string, which would
     *                                  insert a replacement between every two characters
     */
    public static ValuePattern custom(String name, String regex) {
        Pattern compiled = Pattern.compile(regex);
        if (compiled.matcher("").matches()) {
            throw new IllegalArgumentException("regex matches the empty string");
        }
        return new ValuePattern(name, compiled, false, text -> true, match -> true);
    }

    /** Returns the name used in the rules file and in diagnostics. */
    public String name() {
        return name;
    }

    /** Returns the regex source. */
    public String regex() {
        return regex.pattern();
    }

    /** Returns whether this is one of the {@link BuiltInPatterns}. */
    public boolean isBuiltIn() {
        return builtIn;
    }

    Pattern compiled() {
        return regex;
    }

    /** False only when no match can occur in {@code text}; true means "run the regex". */
    boolean mightOccurIn(String text) {
        return mightOccurIn.test(text);
    }

    boolean accepts(CharSequence match) {
        return accepts.test(match);
    }

    @Override
    public String toString() {
        return builtIn ? name : name + "=/" + regex.pattern() + "/";
    }
}
