package app.tandem.platform.security;

import app.tandem.platform.time.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens trusted from memory are trusted exactly as long as a fresh check would trust them, and no longer. */
class JwtVerifierTest {

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock();
    private final DevTokenIssuer issuer = DevTokenIssuer.generate();
    private JwtVerifier verifier;

    @BeforeEach
    void trustTheIssuer() {
        Path jwks = dir.resolve("jwks.json");
        issuer.writeJwks(jwks);
        verifier = new JwtVerifier(jwks.toUri().toString(), DevTokenIssuer.ISSUER, clock);
    }

    private String alexFor(Duration lifetime) {
        return issuer.sign("alex", DevTokenIssuer.ISSUER, clock.instant(), lifetime);
    }

    @Test
    void aVerifiedTokenIsTrustedUntilItExpiresAndRefusedAfter() {
        String token = alexFor(Duration.ofMinutes(30));

        assertThat(verifier.verify(token)).contains("alex");
        clock.advance(Duration.ofMinutes(4));
        assertThat(verifier.verify(token)).contains("alex");
        clock.advance(Duration.ofMinutes(20)); // past what memory may vouch for: checked again, still valid
        assertThat(verifier.verify(token)).contains("alex");
        clock.advance(Duration.ofMinutes(10)); // past expiry and the allowed clock skew
        assertThat(verifier.verify(token)).isEmpty();
    }

    @Test
    void anAlteredForeignOrExpiredTokenIsRefusedWhateverWasTrustedBefore() {
        String token = alexFor(Duration.ofMinutes(30));
        assertThat(verifier.verify(token)).contains("alex");

        String[] parts = token.split("\\.");
        String altered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
        assertThat(verifier.verify(altered)).isEmpty();
        assertThat(verifier.verify(issuer.sign("alex", "https://elsewhere.example", clock.instant(), Duration.ofMinutes(30)))).isEmpty();
        assertThat(verifier.verify(issuer.sign("alex", DevTokenIssuer.ISSUER, clock.instant().minus(Duration.ofHours(2)), Duration.ofHours(1))))
                .isEmpty();
        assertThat(verifier.verify(DevTokenIssuer.generate().sign("alex", DevTokenIssuer.ISSUER, clock.instant(), Duration.ofMinutes(30))))
                .as("signed by another key").isEmpty();
    }
}
