package dev.tapline.goproxy.capture.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import dev.tapline.goproxy.capture.HttpExchangeRecord;

/**
 * A scripted connection: client bytes, app bytes and closes, each stamped with the fake-clock
 * time at which it happens. {@link #run()} replays it whole, then once per split offset of
 * every byte step and once byte by byte, and checks that all replays report exactly the same
 * callbacks; parts of a split step share the step's time, so timestamps must match too.
 */
final class Scenario {

    private enum Kind { CLIENT, APP, CLIENT_CLOSED, APP_CLOSED, CONNECTION_CLOSED }

    private record Step(Kind kind, byte[] bytes, long nanos) {
    }

    /** Result of the unsplit replay. */
    record Outcome(RecordingListener listener, boolean gaveUp) {

        List<HttpExchangeRecord> exchanges() {
            return listener.exchanges();
        }

        HttpExchangeRecord exchange(int index) {
            return exchanges().get(index);
        }

        List<Object> events() {
            return listener.events;
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private SnifferLimits limits = SnifferLimits.defaults();
    private IntPredicate admits = i -> true;
    private long now = 1_000;
    private boolean giveUpExpected;

    static Scenario create() {
        return new Scenario();
    }

    /** Joins lines with CRLF and ends the last one with CRLF too; end with "" for a blank line. */
    static String lines(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    Scenario limits(SnifferLimits newLimits) {
        this.limits = newLimits;
        return this;
    }

    /** Admits only the exchanges for which {@code newAdmits} holds, by the order in which they start. */
    Scenario admitting(IntPredicate newAdmits) {
        this.admits = newAdmits;
        return this;
    }

    /** Lets the replay give up; without this, {@link #run()} fails when the sniffer gives up. */
    Scenario expectGiveUp() {
        this.giveUpExpected = true;
        return this;
    }

    /** Steps added from now on happen at {@code nanos}. */
    Scenario at(long nanos) {
        this.now = nanos;
        return this;
    }

    Scenario client(String latin1) {
        return client(bytes(latin1));
    }

    Scenario client(byte[] data) {
        steps.add(new Step(Kind.CLIENT, data, now));
        return this;
    }

    Scenario app(String latin1) {
        return app(bytes(latin1));
    }

    Scenario app(byte[] data) {
        steps.add(new Step(Kind.APP, data, now));
        return this;
    }

    Scenario clientClosed() {
        steps.add(new Step(Kind.CLIENT_CLOSED, null, now));
        return this;
    }

    Scenario appClosed() {
        steps.add(new Step(Kind.APP_CLOSED, null, now));
        return this;
    }

    Scenario connectionClosed() {
        steps.add(new Step(Kind.CONNECTION_CLOSED, null, now));
        return this;
    }

    /** Replays whole, split at every offset and byte by byte; returns the whole replay. */
    Outcome run() {
        Outcome whole = replay(-1, -1);
        assertThat(whole.gaveUp()).as("gave up: %s", whole.listener().giveUpReasons()).isEqualTo(giveUpExpected);
        for (int s = 0; s < steps.size(); s++) {
            byte[] data = steps.get(s).bytes();
            for (int offset = 1; data != null && offset < data.length; offset++) {
                Outcome split = replay(s, offset);
                assertThat(split.events()).as("step %d split at offset %d", s, offset).isEqualTo(whole.events());
                assertThat(split.gaveUp()).as("step %d split at offset %d", s, offset).isEqualTo(whole.gaveUp());
            }
        }
        Outcome byteByByte = replay(-1, 0);
        assertThat(byteByByte.events()).as("byte by byte").isEqualTo(whole.events());
        assertThat(byteByByte.gaveUp()).as("byte by byte").isEqualTo(whole.gaveUp());
        return whole;
    }

    /** Replays once: splitStep/offset split one step in two; offset 0 feeds every step byte by byte. */
    private Outcome replay(int splitStep, int offset) {
        RecordingListener listener = new RecordingListener(admits);
        long[] clock = new long[1];
        HttpSniffer sniffer = new HttpSniffer(limits, listener, () -> clock[0]);
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            clock[0] = step.nanos();
            switch (step.kind()) {
                case CLIENT, APP -> {
                    if (offset == 0) {
                        feedByteByByte(sniffer, step);
                    } else if (s == splitStep) {
                        feedPadded(sniffer, step, 0, offset);
                        feedPadded(sniffer, step, offset, step.bytes().length);
                    } else {
                        feedPadded(sniffer, step, 0, step.bytes().length);
                    }
                }
                case CLIENT_CLOSED -> sniffer.onClientClosed();
                case APP_CLOSED -> sniffer.onAppClosed();
                case CONNECTION_CLOSED -> sniffer.onConnectionClosed();
            }
        }
        return new Outcome(listener, sniffer.gaveUp());
    }

    /** Feeds a slice embedded between junk bytes, so that reading outside position..limit shows. */
    private static void feedPadded(HttpSniffer sniffer, Step step, int from, int to) {
        int pad = 5;
        byte[] padded = new byte[to - from + 2 * pad];
        java.util.Arrays.fill(padded, (byte) 'X');
        System.arraycopy(step.bytes(), from, padded, pad, to - from);
        ByteBuffer buffer = ByteBuffer.wrap(padded, pad, to - from);
        feed(sniffer, step.kind(), buffer);
    }

    /** Feeds one direct buffer through a one-byte window that slides along it. */
    private static void feedByteByByte(HttpSniffer sniffer, Step step) {
        ByteBuffer direct = ByteBuffer.allocateDirect(step.bytes().length);
        direct.put(step.bytes());
        for (int i = 0; i < step.bytes().length; i++) {
            direct.limit(i + 1).position(i);
            feed(sniffer, step.kind(), direct);
        }
    }

    private static void feed(HttpSniffer sniffer, Kind kind, ByteBuffer buffer) {
        int position = buffer.position();
        int limit = buffer.limit();
        if (kind == Kind.CLIENT) {
            sniffer.onClientBytes(buffer);
        } else {
            sniffer.onAppBytes(buffer);
        }
        assertThat(buffer.position()).as("position left unchanged").isEqualTo(position);
        assertThat(buffer.limit()).as("limit left unchanged").isEqualTo(limit);
    }
}
