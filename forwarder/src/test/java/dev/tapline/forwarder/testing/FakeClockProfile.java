package dev.tapline.forwarder.testing;

import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder with a {@link MutableClock}: time moves only when the test says so. */
public class FakeClockProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MutableClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.data-dir", TempDirs.create("fake-clock"));
    }
}
