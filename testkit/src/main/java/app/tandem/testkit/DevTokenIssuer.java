package app.tandem.testkit;

import app.tandem.api.v1.Role;
import app.tandem.devservers.OwnerOnly;
import app.tandem.platform.security.JwtVerifier;
import app.tandem.platform.security.Roles;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

/**
 * The local run's token issuer: an RSA key kept in the devstack's data folder, its public half published
 * as a JWKS file the gateway trusts. Real deployments point the gateway at their identity provider instead.
 */
public class DevTokenIssuer {

    public static final String ISSUER = "https://dev.tandem.local";
    /** The audience the devstack's gateway requires; a real identity provider names its own. */
    public static final String AUDIENCE = "tandem";

    private final RSAKey key;

    private DevTokenIssuer(RSAKey key) {
        this.key = key;
    }

    public static DevTokenIssuer generate() {
        try {
            return new DevTokenIssuer(new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the signing key from {@code folder}, creating it (and its public JWKS) on first use. */
    public static DevTokenIssuer inFolder(Path folder) {
        try {
            Path privateKey = folder.resolve("dev-issuer-key.json");
            if (Files.exists(privateKey)) {
                return new DevTokenIssuer(RSAKey.parse(Files.readString(privateKey)));
            }
            DevTokenIssuer issuer = generate();
            Files.createDirectories(folder);
            Files.writeString(privateKey, issuer.key.toJSONString());
            OwnerOnly.restrict(privateKey);
            issuer.writeJwks(folder.resolve("jwks.json"));
            return issuer;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot load the dev issuer key from " + folder, e);
        }
    }

    public void writeJwks(Path file) {
        try {
            Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A partner's token. */
    public String issue(String personId, Duration lifetime) {
        return sign(personId, ISSUER, Instant.now(), lifetime);
    }

    /** A token with these roles; a counselor's names their organisation. */
    public String issue(String personId, Set<Role> roles, String organisation, Duration lifetime) {
        return sign(personId, ISSUER, AUDIENCE, Instant.now(), lifetime, roles, organisation);
    }

    /** Any token shape, including wrong issuers and past expiries, for tests of the verifier. */
    public String sign(String personId, String issuer, Instant issuedAt, Duration lifetime) {
        return sign(personId, issuer, AUDIENCE, issuedAt, lifetime, null, null);
    }

    public String sign(String personId, String issuer, String audience, Instant issuedAt, Duration lifetime, Set<Role> roles,
                       String organisation) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .subject(personId)
                    .issuer(issuer)
                    .audience(audience)
                    .issueTime(Date.from(issuedAt))
                    .expirationTime(Date.from(issuedAt.plus(lifetime)))
                    .jwtID(UUID.randomUUID().toString());
            if (roles != null) {
                claims.claim(JwtVerifier.ROLES, Roles.claimsOf(roles));
            }
            if (organisation != null && !organisation.isEmpty()) {
                claims.claim(JwtVerifier.ORGANISATION, organisation);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
