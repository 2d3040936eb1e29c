package dev.tapline.forwarder.dlp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the redaction engine treats as sensitive: header names, keys (query parameters, form fields,
 * JSON object keys) and value patterns. Immutable; names are stored lowercased.
 *
 * <p>Build one with {@link #standard()}, {@link #of} or {@link DlpRulesLoader#load(String)}.
 */
public final class DlpRules {

    private static final DlpRules STANDARD = of(
            List.of("authorization", "proxy-authorization", "cookie", "set-cookie",
                    "x-api-key", "x-auth-token", "x-access-token", "x-amz-security-token"),
            List.of("password", "passwd", "secret", "client_secret", "token", "access_token",
                    "refresh_token", "id_token", "api_key", "apikey", "private_key"),
            BuiltInPatterns.all());

    private final Set<String> headers;
    private final Set<String> keys;
    private final List<ValuePattern> patterns;

    private DlpRules(Set<String> headers, Set<String> keys, List<ValuePattern> patterns) {
        this.headers = headers;
        this.keys = keys;
        this.patterns = patterns;
    }

    /**
     * The built-in rule set ({@code DLP_CONFIG=standard}): credential headers, common credential
     * keys, and the {@code card-number} and {@code jwt} patterns.
     */
    public static DlpRules standard() {
        return STANDARD;
    }

    /**
     * Creates rules from the given names and patterns. Names are lowercased and de-duplicated; of
     * two patterns with the same name the later one is kept.
     */
    public static DlpRules of(Collection<String> headers, Collection<String> keys,
                              Collection<ValuePattern> patterns) {
        Map<String, ValuePattern> byName = new LinkedHashMap<>();
        for (ValuePattern pattern : patterns) {
            byName.remove(pattern.name());
            byName.put(pattern.name(), pattern);
        }
        return new DlpRules(lowercased(headers), lowercased(keys), List.copyOf(byName.values()));
    }

    /** Header names whose whole value is redacted, lowercase. */
    public Set<String> headers() {
        return headers;
    }

    /** Keys whose values are redacted, lowercase, as configured (before separator normalisation). */
    public Set<String> keys() {
        return keys;
    }

    /** Value patterns redacted wherever they occur, in configuration order. */
    public List<ValuePattern> patterns() {
        return patterns;
    }

    /**
     * Returns the union of these rules and {@code other}; a pattern of {@code other} replaces one of
     * these with the same name.
     */
    public DlpRules mergedWith(DlpRules other) {
        List<String> mergedHeaders = new ArrayList<>(headers);
        mergedHeaders.addAll(other.headers);
        List<String> mergedKeys = new ArrayList<>(keys);
        mergedKeys.addAll(other.keys);
        List<ValuePattern> mergedPatterns = new ArrayList<>(patterns);
        mergedPatterns.addAll(other.patterns);
        return of(mergedHeaders, mergedKeys, mergedPatterns);
    }

    @Override
    public String toString() {
        return "DlpRules[headers=" + headers + ", keys=" + keys + ", patterns=" + patterns + "]";
    }

    private static Set<String> lowercased(Collection<String> names) {
        Set<String> set = new LinkedHashSet<>();
        for (String name : names) {
            set.add(name.trim().toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(set);
    }
}
