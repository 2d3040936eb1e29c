package dev.tapline.common.config;

/**
 * One user setting, declared once: the environment variable an operator sets, the config key the app reads, the
 * default, what is accepted and one line of documentation. The start-time check ({@link #check}), the values the
 * app's config reads ({@link SettingsConfigSources}) and README's table ({@link SettingsTable}) all come from it.
 *
 * @param env          the environment variable
 * @param key          the config key it feeds (a {@code @ConfigMapping} key or a Quarkus key)
 * @param defaultValue the value when the variable is unset or empty; null when there is none
 * @param defaultDoc   README's default column when there is no default value ("required", "unset", ...); null
 *                     when the default value says it
 * @param rule         what the variable accepts
 * @param doc          README's meaning column
 */
public record Setting(String env, String key, String defaultValue, String defaultDoc, Rule rule, String doc) {

    /** A setting with a default value. */
    public static Setting of(String env, String key, String defaultValue, Rule rule, String doc) {
        return new Setting(env, key, defaultValue, null, rule, doc);
    }

    /** A setting without a default value; {@code defaultDoc} says what happens when it is unset. */
    public static Setting without(String env, String key, String defaultDoc, Rule rule, String doc) {
        return new Setting(env, key, null, defaultDoc, rule, doc);
    }

    /** A setting with a default value that README describes in its own words (e.g. "where the image sets it"). */
    public Setting documentedDefault(String text) {
        return new Setting(env, key, defaultValue, text, rule, doc);
    }

    public void check(EnvRules rules) {
        rule.check(rules, env);
    }

    /** What README's default column shows. */
    public String defaultColumn() {
        return defaultDoc != null ? defaultDoc : "`" + defaultValue + "`";
    }
}
