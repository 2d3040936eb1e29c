package dev.tapline.forwarder.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The forwarder with WITH_DLP=true and the standard rules. */
public class DlpProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("forwarder.with-dlp", "true", "forwarder.dlp-config", "standard",
                "forwarder.data-dir", TempDirs.create("dlp"));
    }
}
