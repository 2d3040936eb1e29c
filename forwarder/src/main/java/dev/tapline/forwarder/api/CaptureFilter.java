package dev.tapline.forwarder.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.tapline.forwarder.store.CaptureQuery;

/**
 * Reads the filters of {@code /api/v1/captures} (and {@code .har}) from the query string:
 *
 * <pre>
 *   app=shop  proxy=pod-1  method=GET  status=200 | 2xx  path=/orders  since=&lt;RFC 3339&gt;  until=&lt;RFC 3339&gt;  limit=1..1000
 *   direction=inbound | outbound  protocol=http1 | http2 | tls | tcp  template=/orders/{id}  q=&lt;text in URL, headers, bodies&gt;
 * </pre>
 *
 * A value that cannot be used, a parameter given twice or an unknown one is a {@link BadParameterException} naming
 * it, so that a typo never silently widens a search.
 */
public final class CaptureFilter {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> KNOWN = Set.of("app", "proxy", "method", "status", "path", "since", "until",
            "limit", "direction", "protocol", "template", "q");
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    private static final Set<String> PROTOCOLS = Set.of("http1", "http2", "tls", "tcp");
    private static final Pattern STATUS_CODE = Pattern.compile("[1-9]\\d\\d");
    private static final Pattern STATUS_CLASS = Pattern.compile("[1-9][xX][xX]");
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,64}");
    private static final int MAX_TEXT = 1024;

    private CaptureFilter() {
    }

    /** The query for these parameters (as JAX-RS hands them: name to all its values). */
    public static CaptureQuery parse(Map<String, List<String>> params) {
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (!KNOWN.contains(p.getKey())) {
                throw new BadParameterException(p.getKey(), "unknown parameter " + p.getKey() + "; known are "
                        + String.join(", ", KNOWN.stream().sorted().toList()));
            }
            if (p.getValue().size() > 1) {
                throw new BadParameterException(p.getKey(), p.getKey() + " is given more than once");
            }
        }
        Optional<String> method = text(params, "method").map(m -> {
            if (!METHOD.matcher(m).matches()) {
                throw new BadParameterException("method", "method must be an HTTP method such as GET, got " + m);
            }
            return m.toUpperCase(Locale.ROOT);
        });
        Optional<Integer> statusFrom = Optional.empty();
        Optional<Integer> statusTo = Optional.empty();
        Optional<String> status = text(params, "status");
        if (status.isPresent()) {
            String s = status.get();
            if (STATUS_CODE.matcher(s).matches()) {
                statusFrom = Optional.of(Integer.parseInt(s));
                statusTo = statusFrom;
            } else if (STATUS_CLASS.matcher(s).matches()) {
                int hundreds = (s.charAt(0) - '0') * 100;
                statusFrom = Optional.of(hundreds);
                statusTo = Optional.of(hundreds + 99);
            } else {
                throw new BadParameterException("status", "status must be a code such as 404 or a class such as 5xx, got " + s);
            }
        }
        Optional<Long> since = time(params, "since");
        Optional<Long> until = time(params, "until");
        if (since.isPresent() && until.isPresent() && until.get() <= since.get()) {
            throw new BadParameterException("until", "until must be later than since");
        }
        return new CaptureQuery(text(params, "app"), text(params, "proxy"), method, statusFrom, statusTo,
                text(params, "path"), since, until, limit(params), oneOf(params, "direction", DIRECTIONS),
                oneOf(params, "protocol", PROTOCOLS), text(params, "template"), text(params, "q"));
    }

    private static Optional<String> oneOf(Map<String, List<String>> params, String name, Set<String> allowed) {
        return text(params, name).map(v -> {
            String lower = v.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw new BadParameterException(name, name + " must be one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ", got " + v);
            }
            return lower;
        });
    }

    private static Optional<String> text(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        String v = values.get(0);
        if (v.length() > MAX_TEXT) {
            throw new BadParameterException(name, name + " must be at most " + MAX_TEXT + " characters");
        }
        return Optional.of(v);
    }

    private static Optional<Long> time(Map<String, List<String>> params, String name) {
        return text(params, name).map(v -> {
            try {
                Instant t = OffsetDateTime.parse(v.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
                return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new BadParameterException(name, name
                        + " must be an RFC 3339 timestamp such as 2026-01-02T15:04:05Z, got " + v);
            }
        });
    }

    private static int limit(Map<String, List<String>> params) {
        Optional<String> v = text(params, "limit");
        if (v.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(v.get());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, like a number out of range
        }
        throw new BadParameterException("limit", "limit must be 1-" + MAX_LIMIT + ", got " + v.get());
    }
}
