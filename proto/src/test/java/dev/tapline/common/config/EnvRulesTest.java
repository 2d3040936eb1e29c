package dev.tapline.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EnvRulesTest {

    @Test
    void acceptsGoodValues() {
        EnvRules rules = new EnvRules(Map.of("P", "4143", "A", "forwarder:8888", "D", "45s", "S", "64M", "B", "TRUE", "I", "PT1M"));
        rules.port("P", false);
        rules.hostPort("A");
        rules.duration("D");
        rules.duration("I");
        rules.size("S");
        rules.bool("B");
        rules.required("P", "a port");
        assertThat(rules.problems()).isEmpty();
    }

    @Test
    void namesVariableValueAndWhatIsAllowed() {
        EnvRules rules = new EnvRules(Map.of("P", "70000", "A", "forwarder", "D", "soon", "S", "lots", "E", " "));
        rules.port("P", false);
        rules.hostPort("A");
        rules.duration("D");
        rules.size("S");
        rules.required("E", "the app's host");
        assertThat(rules.problems()).extracting(ConfigProblem::describe).containsExactly(
                "P=\"70000\" is not valid: allowed is a TCP port 1-65535",
                "A=\"forwarder\" is not valid: allowed is host:port, e.g. forwarder:8888 or 10.0.0.5:8888",
                "D=\"soon\" is not valid: allowed is a duration such as 45s, 500ms, 5m, 1h or PT45S",
                "S=\"lots\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G",
                "E is not set: it is required (the app's host)");
    }

    @Test
    void aBoundedSizeNamesItsLimitAndWhy() {
        EnvRules rules = new EnvRules(Map.of("A", "4M", "B", "4194305", "C", "5m", "D", "99999999999999T", "E", "big",
                "F", "4096k"));
        for (String name : new String[] {"A", "B", "C", "D", "E", "F"}) {
            rules.size(name, 4L << 20, "it must fit in one upload");
        }
        assertThat(rules.problems()).extracting(ConfigProblem::describe).containsExactly(
                "B=\"4194305\" is not valid: allowed is a size in bytes of at most 4194304 (it must fit in one upload)",
                "C=\"5m\" is not valid: allowed is a size in bytes of at most 4194304 (it must fit in one upload)",
                "D=\"99999999999999T\" is not valid: allowed is a size in bytes of at most 4194304 (it must fit in one upload)",
                "E=\"big\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G");
    }

    @Test
    void sizesAreWhatQuarkusTakes() {
        EnvRules rules = new EnvRules(Map.of("A", "65536B", "B", "64k", "C", "64MB", "D", "1KB"));
        for (String name : new String[] {"A", "B", "C", "D"}) {
            rules.size(name);
        }
        assertThat(rules.problems()).extracting(ConfigProblem::variable).containsExactly("C", "D");
    }

    @Test
    void oneOfIsCaseInsensitive() {
        EnvRules rules = new EnvRules(Map.of("T", "Reverse", "U", "sideways"));
        rules.oneOf("T", "reverse", "forward");
        rules.oneOf("U", "reverse", "forward");
        assertThat(rules.problems()).extracting(ConfigProblem::variable).containsExactly("U");
    }

    @Test
    void durationsBelowAMillisecondOrPastAHundredYearsAreRefused() {
        // below 1 ms the services' timers read 0 ("never" for some); past ~292 years nanoseconds overflow
        EnvRules rules = new EnvRules(Map.of("A", "0", "B", "1ms", "C", "PT0.0005S", "D", "36500d", "E", "36501d",
                "F", "999999999999d", "G", "PT999999H", "H", "90"));
        for (String name : new String[] {"A", "B", "C", "D", "E", "F", "G", "H"}) {
            rules.duration(name);
        }
        assertThat(rules.problems()).extracting(ConfigProblem::describe).containsExactly(
                "C=\"PT0.0005S\" is not valid: allowed is a duration of 0 or from 1ms to 36500d",
                "E=\"36501d\" is not valid: allowed is a duration of 0 or from 1ms to 36500d",
                "F=\"999999999999d\" is not valid: allowed is a duration of 0 or from 1ms to 36500d",
                "G=\"PT999999H\" is not valid: allowed is a duration of 0 or from 1ms to 36500d");
        assertThat(EnvRules.durationOf("90")).as("a bare number is seconds, as Quarkus reads it").hasSeconds(90);
        assertThat(EnvRules.durationOf("-5s")).isNull();
    }

    @Test
    void aSizeThatDoesNotFitInALongIsRefusedNotOverflowed() {
        EnvRules rules = new EnvRules(Map.of("A", "8388607T", "B", "8388608T", "C", "99999999999999T", "D", "0"));
        for (String name : new String[] {"A", "B", "C"}) {
            rules.size(name);
        }
        rules.sizeAtLeast("D", 1, "0 drops everything");
        assertThat(rules.problems()).extracting(ConfigProblem::describe).containsExactly(
                "B=\"8388608T\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G",
                "C=\"99999999999999T\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G",
                "D=\"0\" is not valid: allowed is a size in bytes of at least 1 (0 drops everything)");
    }

    @Test
    void aHostWithAPortIsRefusedAndPointsToThePortVariable() {
        EnvRules rules = new EnvRules(Map.of("A", "app:5000", "B", "localhost", "C", "::1", "D", "[fe80::1%eth0]",
                "E", "10.0.0.5", "F", "app/x", "G", "[::1]:5000"));
        for (String name : new String[] {"A", "B", "C", "D", "E", "F", "G"}) {
            rules.hostName(name, "THE_PORT");
        }
        assertThat(rules.problems()).extracting(ConfigProblem::describe).containsExactly(
                "A=\"app:5000\" is not valid: allowed is a host name or IP address without a port (the port goes in"
                        + " THE_PORT)",
                "F=\"app/x\" is not valid: allowed is a host name or IP address",
                "G=\"[::1]:5000\" is not valid: allowed is a host name or IP address without a port (the port goes in"
                        + " THE_PORT)");
    }
}
