package dev.tapline.common.config;

/**
 * What one environment variable accepts, checked before Quarkus starts; a failed check adds one
 * {@link ConfigProblem} to the {@link EnvRules} it is given. The factories name {@link EnvRules}' checks, so that a
 * {@link Setting} can say its rule in its declaration.
 */
@FunctionalInterface
public interface Rule {
    Rule ANY = (rules, variable) -> {
    };

    void check(EnvRules rules, String variable);

    /** This rule, then {@code next} (both may add a problem). */
    default Rule and(Rule next) {
        return (rules, variable) -> {
            check(rules, variable);
            next.check(rules, variable);
        };
    }

    static Rule required(String what) {
        return (rules, variable) -> rules.required(variable, what);
    }

    static Rule port() {
        return (rules, variable) -> rules.port(variable, false);
    }

    static Rule intRange(long min, long max) {
        return (rules, variable) -> rules.intRange(variable, min, max);
    }

    static Rule size() {
        return EnvRules::size;
    }

    static Rule sizeAtMost(long maxBytes, String why) {
        return (rules, variable) -> rules.size(variable, maxBytes, why);
    }

    static Rule sizeAtLeast(long minBytes, String why) {
        return (rules, variable) -> rules.sizeAtLeast(variable, minBytes, why);
    }

    static Rule duration() {
        return EnvRules::duration;
    }

    static Rule bool() {
        return EnvRules::bool;
    }

    static Rule oneOf(String... allowed) {
        return (rules, variable) -> rules.oneOf(variable, allowed);
    }

    static Rule hostPort() {
        return EnvRules::hostPort;
    }

    static Rule hostName(String portVariable) {
        return (rules, variable) -> rules.hostName(variable, portVariable);
    }
}
