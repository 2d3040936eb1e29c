package dev.tapline.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Version, build time and revision stamped by the Maven build into {@code build-info.properties}
 * (a filtered resource of each app), as shown in the start lines: {@code START Forwarder v0.1.0 compiled at ...}.
 */
public record BuildInfo(String version, String buildTime, String revision) {

    public static BuildInfo load(ClassLoader loader) {
        Properties p = new Properties();
        try (InputStream in = loader.getResourceAsStream("build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(clean(p.getProperty("version"), "v0.0.0-dev"),
                clean(p.getProperty("buildTime"), "unknown"),
                clean(p.getProperty("revision"), "unknown"));
    }

    private static String clean(String v, String fallback) {
        // unfiltered placeholders (an IDE run without Maven) are not a version
        return v == null || v.isBlank() || v.contains("${") ? fallback : v;
    }
}
