package dev.tapline.forwarder.dlp;

import static dev.tapline.forwarder.dlp.Expected.JWT;
import static dev.tapline.forwarder.dlp.Expected.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tapline.forwarder.dlp.RedactionStats.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RedactionStatsTest {

    private final Redactor redactor = new Redactor(DlpRules.standard());

    @Test
    void newRedactorHasCountedNothing() {
        assertThat(redactor.redactions()).isZero();
        assertThat(redactor.stats().snapshot()).containsOnly(entry(Kind.HEADER, 0L), entry(Kind.QUERY, 0L),
                entry(Kind.FORM, 0L), entry(Kind.JSON, 0L), entry(Kind.PATTERN, 0L));
    }

    @Test
    void everyReplacedValueIsCountedByKind() {
        redactor.redactHeader("Authorization", "Bearer x");
        redactor.redactHeader("X-Trace", "jwt " + JWT);
        redactor.redactTarget("/x?token=a&token=b&n=4111111111111111");
        redactor.redactBody("application/x-www-form-urlencoded", utf8("password=p"), false);
        redactor.redactBody("application/json", utf8("{\"secret\":[1,2,{\"a\":\"b\"}],\"note\":\"" + JWT + "\"}"), false);
        redactor.redactBody("application/json", utf8("{\"password\":\"x\",\"rest\":[4111111111111111"), true);
        redactor.redactBody("text/plain", utf8("4111111111111111 and 4111111111111112"), false);

        RedactionStats stats = redactor.stats();
        assertThat(stats.count(Kind.HEADER)).isEqualTo(1);
        assertThat(stats.count(Kind.QUERY)).isEqualTo(2);
        assertThat(stats.count(Kind.FORM)).isEqualTo(1);
        assertThat(stats.count(Kind.JSON)).isEqualTo(4);
        assertThat(stats.count(Kind.PATTERN)).isEqualTo(5);
        assertThat(redactor.redactions()).isEqualTo(13).isEqualTo(stats.total());
    }

    @Test
    void unchangedInputsCountNothing() {
        redactor.redactHeader("Accept", "*/*");
        redactor.redactTarget("/x?q=1");
        redactor.redactBody("application/json", utf8("{\"password\":null}"), false);
        redactor.redactBody("image/png", utf8("4111111111111111"), false);
        assertThat(redactor.redactions()).isZero();
    }

    @Test
    void countsAreExactUnderConcurrentUse() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        redactor.redactBody("application/json", utf8("{\"token\":\"t" + i + "\"}"), false);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(redactor.stats().count(Kind.JSON)).isEqualTo(2000);
    }
}
