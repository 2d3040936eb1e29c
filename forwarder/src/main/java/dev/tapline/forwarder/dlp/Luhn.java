package dev.tapline.forwarder.dlp;

/**
 * The Luhn (mod 10) check used by payment card numbers. Non-digit characters are skipped, so a
 * candidate can be checked with its space or dash separators still in place.
 */
final class Luhn {

    private Luhn() {
    }

    /** Returns whether the digits of {@code candidate} pass the Luhn check; false when it has none. */
    static boolean isValid(CharSequence candidate) {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if ((digits & 1) == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
        }
        return digits > 0 && sum % 10 == 0;
    }
}
