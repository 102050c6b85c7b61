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
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer tokens: signature against the issuer's JSON Web Key Set (a file, or an HTTPS JWKS
 * endpoint that is fetched and cached), expiry, and issuer. The subject is the person id.
 */
public class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public JwtVerifier(String jwksUri, String issuer) {
        JWKSource<SecurityContext> keys = keySource(jwksUri);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat")));
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
        try {
            String subject = processor.process(token, null).getSubject();
            return subject == null || subject.isBlank() ? Optional.empty() : Optional.of(subject);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
