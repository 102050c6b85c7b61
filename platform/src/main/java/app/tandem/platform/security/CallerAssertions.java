package app.tandem.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.CallCredentials;
import io.grpc.Metadata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Signs the short-lived assertion a caller (the gateway, or a service calling another) attaches to each internal
 * call: who the caller is, with which roles, for which service, until when, and the request's id.
 */
public final class CallerAssertions {

    /** The header that carries the assertion on internal calls. */
    public static final Metadata.Key<String> HEADER = Metadata.Key.of("tandem-caller", Metadata.ASCII_STRING_MARSHALLER);
    public static final Duration LIFETIME = Duration.ofSeconds(30);
    static final String ROLES = "roles";
    static final String ORGANISATION = "org";
    /** The one RPC (its full method name) an assertion is for, so a captured one opens no other. */
    static final String RPC = "rpc";

    private final String callerName;
    private final byte[] secret;
    private final Clock clock;
    private final Map<String, MACSigner> signers = new ConcurrentHashMap<>();

    public CallerAssertions(String callerName, byte[] secret, Clock clock) {
        if (secret.length < CallerKeys.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the signing secret of " + callerName + " needs at least " + CallerKeys.MIN_SECRET_BYTES + " bytes");
        }
        this.callerName = callerName;
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** An assertion that {@code caller} calls {@code rpc} (a full method name) of {@code audience}, valid for {@link #LIFETIME}. */
    public String sign(Caller caller, String audience, String rpc) {
        return sign(caller, audience, rpc, clock.instant(), LIFETIME);
    }

    /** Any issue time and lifetime, for tests of the verifier. */
    public String sign(Caller caller, String audience, String rpc, Instant issuedAt, Duration lifetime) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(callerName)
                .audience(audience)
                .subject(caller.subject())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(caller.requestId())
                .claim(RPC, rpc)
                .claim(ROLES, Roles.claimsOf(caller.roles()));
        if (!caller.organisation().isEmpty()) {
            claims.claim(ORGANISATION, caller.organisation());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signers.computeIfAbsent(audience, this::signerFor));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an assertion for " + audience, e);
        }
        return jwt.serialize();
    }

    private MACSigner signerFor(String audience) {
        try {
            return new MACSigner(CallerKeys.derive(secret, audience));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Credentials for this service's own calls to {@code audience}: a fresh assertion per call, naming this service
     * and never a person; the request id is the one of the call being served, when there is one.
     */
    public CallCredentials asService(String audience) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo requestInfo, Executor executor, MetadataApplier applier) {
                Caller serving = Caller.KEY.get();
                String requestId = serving == null ? UUID.randomUUID().toString() : serving.requestId();
                Metadata headers = new Metadata();
                headers.put(HEADER, sign(Caller.service(callerName, requestId), audience, requestInfo.getMethodDescriptor().getFullMethodName()));
                applier.apply(headers);
            }
        };
    }

    /** Credentials that assert {@code caller} on every call to {@code audience}; for the gateway's own tests and benchmarks. */
    public CallCredentials as(Caller caller, String audience) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo requestInfo, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(HEADER, sign(new Caller(caller.subject(), caller.roles(), caller.organisation(), UUID.randomUUID().toString()), audience,
                        requestInfo.getMethodDescriptor().getFullMethodName()));
                applier.apply(headers);
            }
        };
    }
}
