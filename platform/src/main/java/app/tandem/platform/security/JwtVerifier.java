package app.tandem.platform.security;

import app.tandem.api.v1.Role;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies people's bearer tokens at the gateway: signature against the issuer's JSON Web Key Set (an HTTPS endpoint,
 * fetched and cached; a file or plain HTTP only on a developer's machine), issuer, audience, expiry, and an issue time
 * no older than the maximum token age. The subject is the person id; the {@code roles} claim names their roles
 * (a person is a partner when it names none), and a counselor's token names their organisation ({@code org}).
 */
public class JwtVerifier {

    /** What a valid token says about its bearer, and until when: its expiry, or its maximum age if that comes first. */
    public record Person(String personId, Set<Role> roles, String organisation, Instant validUntil) {
    }

    /** The settings the gateway verifies tokens with; none has a default that could let a foreign token in. */
    public record Settings(String jwksUri, String issuer, String audience, Duration maxTokenAge, boolean allowLocalJwks) {
        public Settings {
            require(jwksUri, "tandem.auth.jwks-uri");
            require(issuer, "tandem.auth.issuer");
            require(audience, "tandem.auth.audience");
            if (maxTokenAge == null || maxTokenAge.isNegative() || maxTokenAge.isZero()) {
                throw new IllegalStateException("tandem.auth.max-token-age must be a positive duration");
            }
        }

        private static void require(String value, String property) {
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(property + " is required: the gateway admits no one without it");
            }
        }
    }

    /**
     * A verified token is trusted again without checking its signature until it expires, for at most as long as a
     * key set fetched from an endpoint is cached: a client sends the same token with every call.
     */
    private static final Duration REMEMBER_AT_MOST = Duration.ofMinutes(5);
    private static final int REMEMBERED_TOKENS = 10_000;
    private static final int CLOCK_SKEW_SECONDS = 30;
    public static final String ROLES = "roles";
    public static final String ORGANISATION = "org";

    private record Verified(Person person, Instant trustedUntil) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Duration maxTokenAge;
    private final Clock clock;

    public JwtVerifier(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    public JwtVerifier(Settings settings, Clock clock) {
        this.clock = clock;
        this.maxTokenAge = settings.maxTokenAge();
        JWKSource<SecurityContext> keys = keySource(settings.jwksUri(), settings.allowLocalJwks());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                // nimbus asks these sets whether they hold null, which Set.of answers with an exception
                new HashSet<>(List.of(settings.audience())), new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                new HashSet<>(List.of("sub", "exp", "iat", "aud")), new HashSet<>()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWKSource<SecurityContext> keySource(String jwksUri, boolean allowLocal) {
        URI uri = URI.create(jwksUri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("https") && !(allowLocal && (scheme.equals("file") || scheme.equals("http")))) {
            throw new IllegalStateException("tandem.auth.jwks-uri must be an https: URL (file: and http: only where "
                    + "tandem.auth.allow-local-jwks is set, as the devstack does): " + jwksUri);
        }
        try {
            if (scheme.equals("file")) {
                if (uri.getPath() == null) {
                    throw new IllegalStateException("tandem.auth.jwks-uri must be an absolute file URI such as file:/path/jwks.json: " + jwksUri);
                }
                return new ImmutableJWKSet<>(JWKSet.load(new File(uri)));
            }
            // fetched now and refreshed ahead of expiry in the background, so no call waits for the identity provider
            JWKSource<SecurityContext> remote = JWKSourceBuilder.create(uri.toURL()).refreshAheadCache(true).build();
            remote.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            return remote;
        } catch (IOException | ParseException | KeySourceException e) {
            throw new IllegalStateException("cannot load the JSON Web Key Set at " + jwksUri, e);
        }
    }

    /** The verified person, or empty for any token that is malformed, expired, too old, unsigned or foreign. */
    public Optional<Person> verify(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null && now.isBefore(known.trustedUntil())) {
            return Optional.of(known.person());
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Instant issued = claims.getIssueTime().toInstant();
            // an issue time in the future would stretch the maximum age by as much
            if (issued.isBefore(now.minus(maxTokenAge)) || issued.isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
                return Optional.empty();
            }
            Instant expiry = claims.getExpirationTime().toInstant();
            Instant tooOld = issued.plus(maxTokenAge);
            Optional<Person> person = personOf(claims, expiry.isBefore(tooOld) ? expiry : tooOld);
            if (person.isEmpty()) {
                return Optional.empty();
            }
            if (verified.size() >= REMEMBERED_TOKENS) {
                verified.clear();
            }
            Instant until = now.plus(REMEMBER_AT_MOST);
            verified.put(token, new Verified(person.get(), person.get().validUntil().isBefore(until) ? person.get().validUntil() : until));
            return person;
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<Person> personOf(JWTClaimsSet claims, Instant validUntil) throws ParseException {
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        List<String> named = claims.getStringListClaim(ROLES);
        Set<Role> roles = named == null ? Set.of(Role.ROLE_PARTNER) : Roles.fromClaims(named);
        roles = roles.stream().filter(r -> r != Role.ROLE_SERVICE).collect(java.util.stream.Collectors.toUnmodifiableSet());
        String organisation = claims.getStringClaim(ORGANISATION);
        if (roles.isEmpty() || roles.contains(Role.ROLE_COUNSELOR) && (organisation == null || organisation.isBlank())) {
            return Optional.empty();
        }
        return Optional.of(new Person(subject, roles, organisation == null ? "" : organisation, validUntil));
    }
}
