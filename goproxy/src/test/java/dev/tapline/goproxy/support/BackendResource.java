package dev.tapline.goproxy.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a real {@link HttpBackend} and points goproxy at it. */
public class BackendResource implements QuarkusTestResourceLifecycleManager {
    private HttpBackend backend;

    @Override
    public Map<String, String> start() {
        try {
            backend = new HttpBackend();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("goproxy.reverse-proxy-port", String.valueOf(backend.port()));
    }

    @Override
    public void stop() {
        try {
            backend.close();
        } catch (Exception e) {
            // ignore
        }
    }
}
