package dev.tapline.forwarder.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void withoutATokenEveryCallerIsAllowed() {
        BearerToken none = BearerToken.of(Optional.empty());

        assertThat(none.required()).isFalse();
        assertThat(none.allows(null)).isTrue();
        assertThat(BearerToken.of(Optional.of("  ")).required()).isFalse();
    }

    @Test
    void onlyTheExactTokenAfterBearerIsAllowed() {
        BearerToken token = BearerToken.of(Optional.of("s3cret-Token"));

        assertThat(token.allows("Bearer s3cret-Token")).isTrue();
        assertThat(token.allows("bearer s3cret-Token")).isTrue();
        assertThat(token.allows("Bearer s3cret-token")).isFalse();
        assertThat(token.allows("Bearer s3cret-Token2")).isFalse();
        assertThat(token.allows("s3cret-Token")).isFalse();
        assertThat(token.allows("Basic s3cret-Token")).isFalse();
        assertThat(token.allows("Bearer ")).isFalse();
        assertThat(token.allows(null)).isFalse();
    }
}
