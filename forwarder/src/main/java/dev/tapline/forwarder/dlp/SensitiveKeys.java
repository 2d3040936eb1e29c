package dev.tapline.forwarder.dlp;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Matches query-parameter, form-field and JSON-object keys against the sensitive keys of the rules.
 *
 * <p>Keys are compared after {@linkplain #normalize normalisation}: case is ignored and {@code '-'}
 * and {@code '_'} are dropped, so {@code api_key} also catches {@code apiKey}, {@code API-KEY} and
 * {@code apikey}. Apart from that the match is exact: {@code token} does not catch {@code csrf_token}.
 */
final class SensitiveKeys {

    private final Set<String> normalized;
    private final String[] normalizedArray;

    SensitiveKeys(Collection<String> keys) {
        Set<String> set = new HashSet<>();
        for (String key : keys) {
            String n = normalize(key);
            if (!n.isEmpty()) {
                set.add(n);
            }
        }
        this.normalized = Set.copyOf(set);
        this.normalizedArray = set.toArray(String[]::new);
    }

    /** Lowercases character by character and drops {@code '-'} and {@code '_'}. */
    static String normalize(CharSequence key) {
        // A char array rather than a StringBuilder: this runs over whole bodies in the pre-check.
        char[] out = new char[key.length()];
        int length = 0;
        for (int i = 0; i < out.length; i++) {
            char c = key.charAt(i);
            if (c == '-' || c == '_') {
                continue;
            }
            if (c >= 'A' && c <= 'Z') {
                out[length++] = (char) (c + ('a' - 'A'));
            } else {
                out[length++] = c < 0x80 ? c : Character.toLowerCase(c);
            }
        }
        return new String(out, 0, length);
    }

    boolean isEmpty() {
        return normalizedArray.length == 0;
    }

    boolean matches(CharSequence key) {
        return !isEmpty() && normalized.contains(normalize(key));
    }

    /**
     * False only when no sensitive key can occur anywhere in {@code text}; lets bodies without a
     * candidate skip parsing. Keys spelled with {@code \}{@code u} escapes for plain letters are not
     * seen, which no ordinary JSON encoder produces.
     */
    boolean mightOccurIn(String text) {
        if (isEmpty()) {
            return false;
        }
        String squashed = normalize(text);
        for (String key : normalizedArray) {
            if (squashed.contains(key)) {
                return true;
            }
        }
        return false;
    }
}
