package dev.tapline.forwarder.dlp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value patterns that rules files name without a regex.
 *
 * <ul>
 *   <li>{@code card-number}: 13 to 19 digits, optionally separated by single spaces or dashes, that
 *       pass the {@link Luhn} check. Only a whole run counts: digits that continue (directly or
 *       after one separator) before or after it make it a longer number, not a card.</li>
 *   <li>{@code jwt}: three base64url segments separated by dots whose first (the header) starts
 *       with {@code eyJ}, i.e. a JSON object. The signature may be empty ({@code alg: none}).</li>
 * </ul>
 */
public final class BuiltInPatterns {

    /** Name of the payment card number pattern. */
    public static final String CARD_NUMBER_NAME = "card-number";
    /** Name of the JSON Web Token pattern. */
    public static final String JWT_NAME = "jwt";

    private static final int MIN_CARD_DIGITS = 13;

    static final ValuePattern CARD_NUMBER = new ValuePattern(
            CARD_NUMBER_NAME,
            Pattern.compile("(?<![0-9][ -]?)[0-9](?:[ -]?[0-9]){12,18}(?![ -]?[0-9])"),
            true,
            text -> hasDigitRun(text, MIN_CARD_DIGITS),
            Luhn::isValid);

    static final ValuePattern JWT = new ValuePattern(
            JWT_NAME,
            Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]*+"),
            true,
            text -> text.contains("eyJ"),
            match -> true);

    private static final Map<String, ValuePattern> BY_NAME =
            Map.of(CARD_NUMBER_NAME, CARD_NUMBER, JWT_NAME, JWT);

    private BuiltInPatterns() {
    }

    /** Returns the built-in pattern called {@code name}, if there is one. */
    public static Optional<ValuePattern> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Returns the names of all built-in patterns. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /** Returns all built-in patterns, cards first. */
    public static List<ValuePattern> all() {
        return List.of(CARD_NUMBER, JWT);
    }

    /**
     * Whether {@code text} has {@code min} digits in a row, allowing single separators between them:
     * a necessary condition for a card number that costs one pass and no allocation.
     */
    static boolean hasDigitRun(String text, int min) {
        int run = 0;
        boolean previousWasDigit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++run >= min) {
                    return true;
                }
                previousWasDigit = true;
            } else if ((c == ' ' || c == '-') && previousWasDigit) {
                previousWasDigit = false;
            } else {
                run = 0;
                previousWasDigit = false;
            }
        }
        return false;
    }
}
