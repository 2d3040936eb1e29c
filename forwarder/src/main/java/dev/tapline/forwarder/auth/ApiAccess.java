package dev.tapline.forwarder.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may read the captures (the read API, the OpenAPI document), from API_TOKEN, secure by default:
 *
 * <pre>
 *   API_TOKEN unset or blank   a random token made at start; the Analyzer's URL with it is logged once, at INFO
 *   API_TOKEN=none             anyone who reaches HTTP_PORT reads everything; a WARN at start says so
 *   API_TOKEN=&lt;token&gt;          that token
 * </pre>
 *
 * The generated token lives in memory only: a restart makes a new one (and logs the new URL).
 */
public final class ApiAccess {
    /** The API_TOKEN value that turns the check off. */
    public static final String NONE = "none";
    private static final int TOKEN_BYTES = 24;

    private final BearerToken token;
    private final Mode mode;
    private final String generated;

    /** How the token came about, for the start line. */
    public enum Mode {
        CONFIGURED, GENERATED, OPEN
    }

    private ApiAccess(BearerToken token, Mode mode, String generated) {
        this.token = token;
        this.mode = mode;
        this.generated = generated;
    }

    public static ApiAccess of(Optional<String> apiToken) {
        String v = apiToken.map(String::trim).orElse("");
        if (v.toLowerCase(Locale.ROOT).equals(NONE)) {
            return new ApiAccess(BearerToken.of(Optional.empty()), Mode.OPEN, null);
        }
        if (!v.isEmpty()) {
            return new ApiAccess(BearerToken.of(Optional.of(v)), Mode.CONFIGURED, null);
        }
        byte[] random = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(random);
        String made = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new ApiAccess(BearerToken.of(Optional.of(made)), Mode.GENERATED, made);
    }

    public BearerToken token() {
        return token;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The one start line about access: with a generated token, the Analyzer's URL carrying it (in the fragment,
     * which browsers never send to a server, so it reaches no access log); null with a configured token.
     */
    public String startLine(int httpPort) {
        return switch (mode) {
            case GENERATED -> "API_TOKEN is not set: generated one for this run. Open the Analyzer at http://localhost:"
                    + httpPort + "/analyzer/#token=" + generated;
            case OPEN -> "API_TOKEN=none: the read API and the Analyzer are open to anyone who reaches port " + httpPort
                    + ", captured secrets included";
            case CONFIGURED -> null;
        };
    }
}
