package dev.tapline.forwarder.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.forwarder.store.sqlite.BodySegments.BodyPlace;

/** The segment files alone: where records land with direct I/O and without it, read back and recovered. */
class BodySegmentsTest {
    private static final long ROLL = 1L << 30;
    // a batch ending inside a block, then one that outgrows the 1 MiB write buffer and ends in a short record
    private static final int[] SIZES = {8193, 65537, (1 << 20) + 5, 3};

    @TempDir
    Path dir;

    private static byte[] record(int n, int size) {
        byte[] record = new byte[size];
        new Random(n).nextBytes(record);
        return record;
    }

    private List<BodyPlace> appendTwoBatches(BodySegments segments) throws IOException {
        List<BodyPlace> places = new ArrayList<>(segments.append(List.of(record(0, SIZES[0]), record(1, SIZES[1]))));
        places.addAll(segments.append(List.of(record(2, SIZES[2]), record(3, SIZES[3]))));
        return places;
    }

    private void assertReadBack(List<BodyPlace> places) throws IOException {
        for (int n = 0; n < SIZES.length; n++) {
            assertThat(BodySegments.read(dir, places.get(n))).as("record %d", n).isEqualTo(record(n, SIZES[n]));
        }
    }

    @Test
    void withoutDirectIoRecordsLieBackToBackWithNoPaddingAndAnUncommittedTailIsCutAtOpen() throws IOException {
        List<BodyPlace> places;
        long end;
        try (BodySegments segments = BodySegments.open(dir, Map.of(), ROLL, file -> 0)) {
            places = appendTwoBatches(segments);
            end = segments.end();
        }
        long at = 0;
        for (int n = 0; n < SIZES.length; n++) {
            assertThat(places.get(n)).isEqualTo(new BodyPlace(1, at, SIZES[n]));
            at += SIZES[n];
        }
        assertThat(end).isEqualTo(at);
        assertThat(Files.size(BodySegments.file(dir, 1))).isEqualTo(at);
        assertReadBack(places);

        long firstBatch = SIZES[0] + SIZES[1]; // the second batch's rows never committed
        try (BodySegments segments = BodySegments.open(dir, Map.of(1L, firstBatch), ROLL, file -> 0)) {
            assertThat(Files.size(BodySegments.file(dir, 1))).isEqualTo(firstBatch);
            List<BodyPlace> next = segments.append(List.of(record(4, 100)));
            assertThat(next).containsExactly(new BodyPlace(2, 0, 100));
            assertThat(BodySegments.read(dir, next.get(0))).isEqualTo(record(4, 100));
        }
        assertThat(BodySegments.read(dir, places.get(1))).isEqualTo(record(1, SIZES[1]));
    }

    @Test
    void withDirectIoEachBatchStartsOnABlockAndEndsInAPaddedOne() throws IOException {
        int block = BodySegments.directBlock(Files.getFileStore(dir).getBlockSize());
        assumeThat(block).as("direct I/O on the temporary directory's file system").isGreaterThan(1);
        List<BodyPlace> places;
        long end;
        try (BodySegments segments = BodySegments.open(dir, Map.of(), ROLL)) {
            places = appendTwoBatches(segments);
            end = segments.end();
        }
        long second = (SIZES[0] + SIZES[1] + block - 1) / block * block;
        assertThat(places).extracting(BodyPlace::offset)
                .containsExactly(0L, (long) SIZES[0], second, second + SIZES[2]);
        assertThat(end).isEqualTo((second + SIZES[2] + SIZES[3] + block - 1) / block * block)
                .isEqualTo(Files.size(BodySegments.file(dir, 1)));
        assertReadBack(places);
    }
}
