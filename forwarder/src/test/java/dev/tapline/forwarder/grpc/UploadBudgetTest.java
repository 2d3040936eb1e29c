package dev.tapline.forwarder.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class UploadBudgetTest {

    @Test
    void streamsWaitInLineWhileTheBudgetIsFullAndAreResumedOneAckAtATime() {
        UploadBudget budget = new UploadBudget(2);
        List<String> resumed = new ArrayList<>();
        budget.take();
        budget.take();

        assertThat(budget.roomOrWait(() -> resumed.add("first"))).isFalse();
        assertThat(budget.roomOrWait(() -> resumed.add("second"))).isFalse();
        budget.give();

        assertThat(resumed).containsExactly("first");
        budget.give();
        assertThat(resumed).containsExactly("first", "second");
        assertThat(budget.roomOrWait(() -> false)).isTrue();
    }

    @Test
    void aResumedStreamThatNeedsNothingPassesItsTurnOn() {
        UploadBudget budget = new UploadBudget(1);
        List<String> resumed = new ArrayList<>();
        budget.take();
        budget.roomOrWait(() -> {
            resumed.add("ended");
            return false;
        });
        budget.roomOrWait(() -> resumed.add("waiting"));

        budget.give();

        assertThat(resumed).containsExactly("ended", "waiting");
        assertThat(budget.used()).isZero();
    }
}
