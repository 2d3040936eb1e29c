package dev.tapline.goproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.goproxy.support.TestCerts;
import io.netty.handler.ssl.SslContext;

/**
 * The clients choose the ALPN lists and ids goproxy passes on, so the contexts built for them are bounded: past the
 * caps a new list is narrowed to h2 and http/1.1 and a new id gets no ALPN answer, with no context built per
 * connection; what was kept before stays in use.
 */
class AlpnContextCapsTest {
    @TempDir
    Path dir;

    private static List<String> custom(int i) {
        return List.of("x-proto-" + i, "h2", "http/1.1");
    }

    @Test
    void pastTheCapANewOfferIsNarrowedToTheHttpProtocolsAndKeptOffersStay() throws Exception {
        AppContexts contexts = new AppContexts(TlsProvider.choose(), null);
        SslContext first = contexts.forOffer(custom(0));
        assertThat(contexts.forOffer(custom(0))).as("kept").isSameAs(first);
        SslContext http = contexts.forOffer(List.of("h2", "http/1.1"));
        assertThat(first).isNotSameAs(http);
        for (int i = 1; i < AppContexts.MAX_KEPT; i++) {
            contexts.forOffer(custom(i));
        }
        assertThat(contexts.forOffer(custom(AppContexts.MAX_KEPT + 1))).as("past the cap").isSameAs(http);
        assertThat(contexts.forOffer(List.of("x-proto-new"))).isSameAs(contexts.forOffer(List.of()));
        assertThat(contexts.forOffer(custom(0))).as("kept before the cap").isSameAs(first);
    }

    @Test
    void pastTheCapANewProtocolGetsNoAlpnAnswer() throws Exception {
        TestCerts.Leaf leaf = TestCerts.ca(dir, "ca").leaf("caps.test");
        ServerContexts contexts = new ServerContexts(PemFiles.load("CERT", leaf.writeChain("leaf"), "KEY",
                leaf.writePkcs8("leaf")), TlsProvider.choose());
        SslContext none = contexts.forAlpn(null);
        SslContext first = contexts.forAlpn("x-proto-0");
        assertThat(first).isNotSameAs(none);
        assertThat(first.applicationProtocolNegotiator().protocols()).containsExactly("x-proto-0");
        assertThat(contexts.forAlpn("x-proto-0")).as("kept").isSameAs(first);
        for (int i = 1; i < ServerContexts.MAX_OTHERS; i++) {
            contexts.forAlpn("x-proto-" + i);
        }
        assertThat(contexts.forAlpn("x-proto-new")).isSameAs(none);
        assertThat(contexts.forAlpn("x-proto-0")).isSameAs(first);
        assertThat(contexts.forAlpn("h2").applicationProtocolNegotiator().protocols()).containsExactly("h2");
    }
}
