package app.tandem.platform.security;

import app.tandem.api.v1.Role;
import app.tandem.platform.time.SettableClock;
import app.tandem.testkit.DevTokenIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** People's tokens at the gateway: who they are, which roles they hold, and for how long they are believed. */
class JwtVerifierTest {

    private static final Duration MAX_AGE = Duration.ofHours(24);

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock();
    private final DevTokenIssuer issuer = DevTokenIssuer.generate();
    private String jwks;
    private JwtVerifier verifier;

    @BeforeEach
    void trustTheIssuer() {
        Path file = dir.resolve("jwks.json");
        issuer.writeJwks(file);
        jwks = file.toUri().toString();
        verifier = new JwtVerifier(new JwtVerifier.Settings(jwks, DevTokenIssuer.ISSUER, DevTokenIssuer.AUDIENCE, MAX_AGE, true), clock);
    }

    private String alexFor(Duration lifetime) {
        return issuer.sign("alex", DevTokenIssuer.ISSUER, clock.instant(), lifetime);
    }

    private Optional<String> personIn(String token) {
        return verifier.verify(token).map(JwtVerifier.Person::personId);
    }

    @Test
    void aVerifiedTokenIsTrustedUntilItExpiresAndRefusedAfter() {
        String token = alexFor(Duration.ofMinutes(30));

        assertThat(personIn(token)).contains("alex");
        clock.advance(Duration.ofMinutes(4));
        assertThat(personIn(token)).contains("alex");
        clock.advance(Duration.ofMinutes(20)); // past what memory may vouch for: checked again, still valid
        assertThat(personIn(token)).contains("alex");
        clock.advance(Duration.ofMinutes(10)); // past expiry and the allowed clock skew
        assertThat(personIn(token)).isEmpty();
    }

    @Test
    void anAlteredForeignOrExpiredTokenIsRefusedWhateverWasTrustedBefore() {
        String token = alexFor(Duration.ofMinutes(30));
        assertThat(personIn(token)).contains("alex");

        String[] parts = token.split("\\.");
        String altered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
        assertThat(personIn(altered)).isEmpty();
        assertThat(personIn(issuer.sign("alex", "https://elsewhere.example", clock.instant(), Duration.ofMinutes(30)))).isEmpty();
        assertThat(personIn(issuer.sign("alex", DevTokenIssuer.ISSUER, clock.instant().minus(Duration.ofHours(2)), Duration.ofHours(1))))
                .isEmpty();
        assertThat(personIn(DevTokenIssuer.generate().sign("alex", DevTokenIssuer.ISSUER, clock.instant(), Duration.ofMinutes(30))))
                .as("signed by another key").isEmpty();
    }

    @Test
    void aTokenForAnotherAudienceOrWithoutOneIsRefused() {
        assertThat(personIn(issuer.sign("alex", DevTokenIssuer.ISSUER, "another-app", clock.instant(), Duration.ofMinutes(30), null, null)))
                .isEmpty();
        assertThat(personIn(issuer.sign("alex", DevTokenIssuer.ISSUER, null, clock.instant(), Duration.ofMinutes(30), null, null)))
                .isEmpty();
    }

    @Test
    void aTokenIssuedLongerAgoThanTheMaximumAgeIsRefusedEvenBeforeItExpires() {
        String oldButValid = issuer.sign("alex", DevTokenIssuer.ISSUER, clock.instant().minus(MAX_AGE).minusSeconds(60), Duration.ofDays(30));
        assertThat(personIn(oldButValid)).isEmpty();

        String young = issuer.sign("alex", DevTokenIssuer.ISSUER, clock.instant(), Duration.ofDays(30));
        assertThat(personIn(young)).contains("alex");
        clock.advance(MAX_AGE.plusMinutes(1));
        assertThat(personIn(young)).as("remembered no longer than it may be believed").isEmpty();
    }

    @Test
    void aPersonIsAPartnerUnlessTheTokenNamesOtherRoles() {
        assertThat(verifier.verify(alexFor(Duration.ofMinutes(30)))).get()
                .satisfies(p -> assertThat(p.roles()).containsExactly(Role.ROLE_PARTNER));
        String operator = issuer.issue("olive", Set.of(Role.ROLE_OPERATOR), null, Duration.ofMinutes(30));
        assertThat(verifier.verify(operator)).get().satisfies(p -> assertThat(p.roles()).containsExactly(Role.ROLE_OPERATOR));
        String counselor = issuer.issue("dana", Set.of(Role.ROLE_COUNSELOR), "clinic-north", Duration.ofMinutes(30));
        assertThat(verifier.verify(counselor)).get().satisfies(p -> {
            assertThat(p.roles()).containsExactly(Role.ROLE_COUNSELOR);
            assertThat(p.organisation()).isEqualTo("clinic-north");
        });
    }

    @Test
    void noTokenMakesItsBearerAServiceAndACounselorNeedsAnOrganisation() {
        String claimsService = issuer.issue("mallory", Set.of(Role.ROLE_SERVICE), null, Duration.ofMinutes(30));
        assertThat(verifier.verify(claimsService)).as("a person's token cannot name the service role").isEmpty();
        String serviceAndPartner = issuer.issue("mallory", Set.of(Role.ROLE_SERVICE, Role.ROLE_PARTNER), null, Duration.ofMinutes(30));
        assertThat(verifier.verify(serviceAndPartner)).get().satisfies(p -> assertThat(p.roles()).containsExactly(Role.ROLE_PARTNER));
        assertThat(verifier.verify(issuer.issue("dana", Set.of(Role.ROLE_COUNSELOR), "", Duration.ofMinutes(30)))).isEmpty();
    }

    @Test
    void theGatewayRefusesToStartWithoutAnIssuerOrWithAKeySetItShouldNotTrust() {
        assertThatThrownBy(() -> new JwtVerifier.Settings(jwks, null, DevTokenIssuer.AUDIENCE, MAX_AGE, true))
                .hasMessageContaining("tandem.auth.issuer");
        assertThatThrownBy(() -> new JwtVerifier.Settings(jwks, DevTokenIssuer.ISSUER, "", MAX_AGE, true))
                .hasMessageContaining("tandem.auth.audience");
        assertThatThrownBy(() -> new JwtVerifier.Settings(null, DevTokenIssuer.ISSUER, DevTokenIssuer.AUDIENCE, MAX_AGE, true))
                .hasMessageContaining("tandem.auth.jwks-uri");
        assertThatThrownBy(() -> new JwtVerifier(new JwtVerifier.Settings(jwks, DevTokenIssuer.ISSUER, DevTokenIssuer.AUDIENCE, MAX_AGE, false)))
                .as("a file outside the devstack").hasMessageContaining("https");
        assertThatThrownBy(() -> new JwtVerifier(new JwtVerifier.Settings("http://127.0.0.1:1/jwks.json", DevTokenIssuer.ISSUER,
                DevTokenIssuer.AUDIENCE, MAX_AGE, false))).hasMessageContaining("https");
        assertThatThrownBy(() -> new JwtVerifier(new JwtVerifier.Settings("file:.devstack/jwks.json", DevTokenIssuer.ISSUER,
                DevTokenIssuer.AUDIENCE, MAX_AGE, true))).as("a relative file URI").hasMessageContaining("absolute");
    }
}
