package dev.tapline.forwarder.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.ProxyIdentity;

/** The identities the forwarder registers; goproxy checks its environment against the same limits at start. */
class IdentityRulesTest {

    private static ProxyIdentity id(String proxyId) {
        return ProxyIdentity.newBuilder().setProxyId(proxyId).setAppLabel("shop").build();
    }

    @Test
    void aProxyIdIsRequiredVisibleAndAtMost128Characters() {
        assertThat(IdentityRules.problem(id("p".repeat(128)))).isNull();
        assertThat(IdentityRules.problem(id(" "))).isEqualTo("proxy.proxy_id is required");
        String tooLongOrInvisible = "proxy.proxy_id must be at most 128 characters without spaces or control characters";
        assertThat(IdentityRules.problem(id("p".repeat(129)))).isEqualTo(tooLongOrInvisible);
        assertThat(IdentityRules.problem(id("my pod"))).isEqualTo(tooLongOrInvisible);
        assertThat(IdentityRules.problem(id("pod\u0007"))).isEqualTo(tooLongOrInvisible);
    }

    @Test
    void everyOtherIdentityFieldIsAtMost256Characters() {
        assertThat(IdentityRules.problem(id("pod").toBuilder().setAppLabel("l".repeat(256)).build())).isNull();
        assertThat(IdentityRules.problem(id("pod").toBuilder().setBackendAddr("h".repeat(257)).build()))
                .isEqualTo("the proxy's identity fields must be at most 256 characters each");
    }
}
