package dev.tapline.goproxy.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a real {@link HttpBackend} and a real {@link FakeForwarder}, and points goproxy at both. */
public class BackendResource implements QuarkusTestResourceLifecycleManager {
    private static volatile HttpBackend backend;
    private static volatile FakeForwarder forwarder;

    public static FakeForwarder forwarder() {
        return forwarder;
    }

    @Override
    public Map<String, String> start() {
        try {
            backend = new HttpBackend();
            forwarder = new FakeForwarder();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("goproxy.reverse-proxy-port", String.valueOf(backend.port()),
                "goproxy.forwarder-addr", "127.0.0.1:" + forwarder.port(),
                "goproxy.capture.batch-delay", "20ms");
    }

    @Override
    public void stop() {
        try {
            backend.close();
            forwarder.close();
        } catch (Exception e) {
            // ignore
        }
    }
}
