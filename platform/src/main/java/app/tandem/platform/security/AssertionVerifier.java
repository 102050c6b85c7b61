package app.tandem.platform.security;

import app.tandem.api.v1.Role;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an assertion on an incoming internal call: signed with the key of a caller this service trusts, for this
 * service, not expired and short-lived. Only the edge (the gateway) may speak for people; any other caller is a
 * service and speaks only for itself.
 */
public final class AssertionVerifier {

    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** Why an assertion was refused, for the service's log; the caller only learns that it was. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String audience;
    private final String edge;
    private final Map<String, MACVerifier> trusted = new HashMap<>();
    private final Clock clock;

    /**
     * @param trustedKeys each trusted caller's key for this service (see {@link CallerKeys})
     * @param clock       real time: the domain's clock may be moved by tests, an assertion's expiry may not
     */
    public AssertionVerifier(String audience, String edge, Map<String, byte[]> trustedKeys, Clock clock) {
        this.audience = audience;
        this.edge = edge;
        this.clock = clock;
        trustedKeys.forEach((caller, key) -> {
            try {
                trusted.put(caller, new MACVerifier(key));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("the key trusted for " + caller + " is too short", e);
            }
        });
    }

    /** The caller an assertion names, if it is valid here for {@code rpc} (the full method name being called). */
    public Caller verify(String assertion, String rpc) throws Refused {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused("not a signed assertion");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new Refused("signed with " + jwt.getHeader().getAlgorithm());
        }
        String issuer = claims.getIssuer();
        MACVerifier key = issuer == null ? null : trusted.get(issuer);
        if (key == null) {
            throw new Refused("from an untrusted caller " + issuer);
        }
        try {
            if (!jwt.verify(key)) {
                throw new Refused("bad signature from " + issuer);
            }
        } catch (JOSEException e) {
            throw new Refused("unverifiable signature from " + issuer);
        }
        if (claims.getAudience() == null || !claims.getAudience().equals(List.of(audience))) {
            throw new Refused("for another service " + claims.getAudience());
        }
        Object named = claims.getClaim(CallerAssertions.RPC);
        if (!rpc.equals(named)) {
            throw new Refused("for another call " + named);
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getIssueTime() == null) {
            throw new Refused("without issue and expiry times");
        }
        Instant expiry = claims.getExpirationTime().toInstant();
        Instant issued = claims.getIssueTime().toInstant();
        if (!now.isBefore(expiry.plus(CLOCK_SKEW))) {
            throw new Refused("expired at " + expiry);
        }
        if (issued.isAfter(now.plus(CLOCK_SKEW)) || Duration.between(issued, expiry).compareTo(MAX_LIFETIME) > 0) {
            throw new Refused("issued at " + issued + " for longer than " + MAX_LIFETIME);
        }
        return callerOf(issuer, claims);
    }

    private Caller callerOf(String issuer, JWTClaimsSet claims) throws Refused {
        String subject = claims.getSubject();
        String requestId = claims.getJWTID();
        Set<Role> roles;
        String organisation;
        try {
            List<String> named = claims.getStringListClaim(CallerAssertions.ROLES);
            roles = Roles.fromClaims(named == null ? List.of() : named);
            organisation = claims.getStringClaim(CallerAssertions.ORGANISATION);
        } catch (ParseException e) {
            throw new Refused("with malformed roles");
        }
        if (subject == null || subject.isBlank() || requestId == null || roles.isEmpty()) {
            throw new Refused("without subject, request id or roles");
        }
        boolean service = roles.contains(Role.ROLE_SERVICE);
        if (issuer.equals(edge) ? service : !(roles.equals(Set.of(Role.ROLE_SERVICE)) && subject.equals(issuer))) {
            // the edge speaks for people; every other caller only for itself
            throw new Refused(issuer + " asserted " + subject + " as " + roles);
        }
        if (roles.contains(Role.ROLE_COUNSELOR) && (organisation == null || organisation.isBlank())) {
            throw new Refused("a counselor without an organisation");
        }
        return new Caller(subject, roles, organisation, requestId);
    }
}
