package app.tandem.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
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
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies bearer tokens: signature against the issuer's JSON Web Key Set (a file, or an HTTPS JWKS
 * endpoint that is fetched and cached), expiry, and issuer. The subject is the person id.
 */
public class JwtVerifier {

    /**
     * A verified token is trusted again without checking its signature until it expires, for at most as long as a
     * key set fetched from an endpoint is cached: a client sends the same token with every call.
     */
    private static final Duration REMEMBER_AT_MOST = Duration.ofMinutes(5);
    private static final int REMEMBERED_TOKENS = 10_000;

    private record Verified(String subject, Instant trustedUntil) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Clock clock;

    public JwtVerifier(String jwksUri, String issuer) {
        this(jwksUri, issuer, Clock.systemUTC());
    }

    public JwtVerifier(String jwksUri, String issuer, Clock clock) {
        this.clock = clock;
        JWKSource<SecurityContext> keys = keySource(jwksUri);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
    }

    private static JWKSource<SecurityContext> keySource(String jwksUri) {
        try {
            URI uri = URI.create(jwksUri);
            if ("file".equals(uri.getScheme())) {
                return new ImmutableJWKSet<>(JWKSet.load(new File(uri)));
            }
            URL url = uri.toURL();
            return JWKSourceBuilder.create(url).build();
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot load the JSON Web Key Set at " + jwksUri, e);
        }
    }

    /** The verified person id, or empty for any token that is malformed, expired, unsigned or foreign. */
    public Optional<String> verify(String token) {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null && now.isBefore(known.trustedUntil())) {
            return Optional.of(known.subject());
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            String subject = claims.getSubject();
            if (subject == null || subject.isBlank()) {
                return Optional.empty();
            }
            if (verified.size() >= REMEMBERED_TOKENS) {
                verified.clear();
            }
            Instant expiry = claims.getExpirationTime().toInstant();
            Instant until = now.plus(REMEMBER_AT_MOST);
            verified.put(token, new Verified(subject, expiry.isBefore(until) ? expiry : until));
            return Optional.of(subject);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
