package dev.tapline.forwarder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tapline.forwarder.store.CaptureQuery;

class CaptureFilterTest {

    private static CaptureQuery parse(String... pairs) {
        LinkedHashMap<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return CaptureFilter.parse(params);
    }

    private static void assertBad(String parameter, String message, String... pairs) {
        assertThatThrownBy(() -> parse(pairs)).isInstanceOfSatisfying(BadParameterException.class, e -> {
            assertThat(e.parameter()).isEqualTo(parameter);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void noParametersMeanTheNewestHundred() {
        assertThat(CaptureFilter.parse(Map.of())).isEqualTo(CaptureQuery.newest(100));
    }

    @Test
    void everyFilterIsRead() {
        CaptureQuery q = parse("app", "shop", "proxy", "pod-1", "method", "post", "status", "404", "path", "/orders",
                "since", "2026-01-02T03:04:05Z", "until", "2026-01-02T05:04:05.5+02:00", "limit", "1000");

        assertThat(q).isEqualTo(new CaptureQuery(Optional.of("shop"), Optional.of("pod-1"), Optional.of("POST"),
                Optional.of(404), Optional.of(404), Optional.of("/orders"), Optional.of(1_767_323_045_000_000_000L),
                Optional.of(1_767_323_045_500_000_000L), 1000));
    }

    @Test
    void directionIsInboundOrOutbound() {
        assertThat(parse("direction", "outbound").direction()).hasValue("outbound");
        assertThat(parse("direction", "Inbound").direction()).hasValue("inbound");
        assertThat(parse("app", "shop").direction()).isEmpty();
        assertBad("direction", "direction must be one of inbound, outbound, got sideways", "direction", "sideways");
    }

    @Test
    void aStatusClassIsARangeOfCodes() {
        CaptureQuery q = parse("status", "5xx");

        assertThat(q.statusFrom()).hasValue(500);
        assertThat(q.statusTo()).hasValue(599);
    }

    @Test
    void aBadValueNamesItsParameter() {
        assertBad("limit", "limit must be 1-1000, got 0", "limit", "0");
        assertBad("limit", "limit must be 1-1000, got 1001", "limit", "1001");
        assertBad("limit", "limit must be 1-1000, got ten", "limit", "ten");
        assertBad("status", "status must be a code such as 404 or a class such as 5xx, got 2x", "status", "2x");
        assertBad("since", "since must be an RFC 3339 timestamp such as 2026-01-02T15:04:05Z, got yesterday",
                "since", "yesterday");
        assertBad("until", "until must be later than since", "since", "2026-01-02T00:00:00Z", "until",
                "2026-01-01T00:00:00Z");
        assertBad("method", "method must be an HTTP method such as GET, got G E T", "method", "G E T");
        assertBad("status", "status is given more than once", "status", "200", "status", "404");
        assertBad("statsu", "unknown parameter statsu; known are app, direction, limit, method, path, protocol, proxy, q, since, status, template, until",
                "statsu", "200");
    }
}
