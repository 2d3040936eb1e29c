package dev.tapline.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
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
    void durationsAreReadAsQuarkusReadsThemWithOurBounds() {
        // what passes the check is what the typed config reads afterwards, with the same converter
        assertThat(EnvRules.durationOf("0")).isZero();
        assertThat(EnvRules.durationOf("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(EnvRules.durationOf("1m30s")).as("Go's combined form").hasSeconds(90);
        assertThat(EnvRules.durationOf("1h30m")).hasMinutes(90);
        assertThat(EnvRules.durationOf("45S")).hasSeconds(45);
        assertThat(EnvRules.durationOf("7d")).hasDays(7);
        assertThat(EnvRules.durationOf("pt45s")).hasSeconds(45);
        assertThat(EnvRules.durationOf("9223372036854775807s")).as("parsed, then refused by the bound").isNotNull();
        for (String notOne : new String[] {"-1s", "-5", "1.5h", "1m30s500ms", "300us", "45 s", "1w", "s",
                "9223372036854775807d", "99999999999999999999"}) {
            assertThat(EnvRules.durationOf(notOne)).as(notOne).isNull();
        }

        EnvRules rules = new EnvRules(Map.of("A", "1.5s", "B", "-1s", "C", "1m30s", "D", "9223372036854775807d",
                "E", "9223372036854775807s", "F", "0.0005s", "G", "90"));
        for (String name : new String[] {"A", "B", "C", "D", "E", "F", "G"}) {
            rules.duration(name);
        }
        assertThat(rules.problems()).extracting(ConfigProblem::describe).containsExactly(
                "B=\"-1s\" is not valid: allowed is a duration such as 45s, 500ms, 5m, 1h or PT45S",
                "D=\"9223372036854775807d\" is not valid: allowed is a duration such as 45s, 500ms, 5m, 1h or PT45S",
                "E=\"9223372036854775807s\" is not valid: allowed is a duration of 0 or from 1ms to 36500d",
                "F=\"0.0005s\" is not valid: allowed is a duration of 0 or from 1ms to 36500d");
    }

    @Test
    void sizesAreReadAsQuarkusReadsThem() {
        assertThat(EnvRules.bytesOf("1K")).isEqualTo(BigInteger.valueOf(1024));
        assertThat(EnvRules.bytesOf("64k")).isEqualTo(BigInteger.valueOf(65536));
        assertThat(EnvRules.bytesOf("0")).isZero();
        assertThat(EnvRules.bytesOf("1P")).isEqualTo(BigInteger.ONE.shiftLeft(50));
        for (String notOne : new String[] {"1KiB", "1KB", "-1", "1.5K", "4 K", "lots"}) {
            assertThat(EnvRules.bytesOf(notOne)).as(notOne).isNull();
        }

        EnvRules rules = new EnvRules(Map.of("A", "1K", "B", "1KiB", "C", "9223372036854775807",
                "D", "9223372036854775808", "E", "1P", "F", "8E"));
        for (String name : new String[] {"A", "B", "C", "D", "E", "F"}) {
            rules.size(name);
        }
        assertThat(rules.problems()).as("past a long (8E = 2^63) is refused, not overflowed")
                .extracting(ConfigProblem::describe).containsExactly(
                        "B=\"1KiB\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G",
                        "D=\"9223372036854775808\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G",
                        "F=\"8E\" is not valid: allowed is a size in bytes such as 65536, 64K, 64M or 1G");
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
