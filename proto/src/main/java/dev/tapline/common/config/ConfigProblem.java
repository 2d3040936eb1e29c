package dev.tapline.common.config;

/** One environment variable with a value that cannot be used: which, what it held, and what is allowed. */
public record ConfigProblem(String variable, String value, String allowed) {

    /** The one line an operator reads, e.g. {@code PROXY_IN_PORT="abc" is not valid: allowed is a port 1-65535}. */
    public String describe() {
        return value == null
                ? variable + " is not set: it is required (" + allowed + ")"
                : variable + "=\"" + value + "\" is not valid: allowed is " + allowed;
    }
}
