package dev.tapline.forwarder.facets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EndpointTallyTest {
    private static final long MS = 1_000_000L;

    @Test
    void percentilesAreNearestRankAndErrorsAre5xxOrNoAnswer() {
        EndpointTally tally = new EndpointTally();
        for (int i = 1; i <= 100; i++) {
            tally.add("shop", "GET", "/orders/{id}", i == 7 ? 503 : 200, i * MS, 10, 1000 + i);
        }
        tally.add("shop", "GET", "/orders/{id}", null, null, 5, 50); // no answer: an error, no duration
        tally.add("shop", "POST", "/orders", 404, 2 * MS, 1, 7);

        List<EndpointStats> out = tally.result(10);
        assertThat(out).hasSize(2);
        EndpointStats get = out.get(0);
        assertThat(get.template()).isEqualTo("/orders/{id}");
        assertThat(get.count()).isEqualTo(101);
        assertThat(get.errors()).isEqualTo(2);
        assertThat(get.p50Nanos()).isEqualTo(50 * MS);
        assertThat(get.p95Nanos()).isEqualTo(95 * MS);
        assertThat(get.p99Nanos()).isEqualTo(99 * MS);
        assertThat(get.bytes()).isEqualTo(1005);
        assertThat(get.lastSeenNanos()).isEqualTo(1100);
        assertThat(out.get(1).errors()).as("4xx is the client's error, not the endpoint's").isZero();
        assertThat(out.get(1).p99Nanos()).isEqualTo(2 * MS);
        assertThat(tally.result(1)).containsExactly(get);
    }

    @Test
    void rankOfOneValueAndOfNone() {
        assertThat(EndpointTally.rank(new long[] { 42 }, 99)).isEqualTo(42);
        assertThat(EndpointTally.rank(new long[0], 50)).isZero();
    }
}
