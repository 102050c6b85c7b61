package app.tandem.testkit;

import app.tandem.api.v1.Role;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.devservers.OwnerOnly;
import app.tandem.platform.security.Caller;
import app.tandem.platform.security.CallerAssertions;
import app.tandem.platform.security.CallerKeys;
import app.tandem.platform.security.PersonIds;
import io.grpc.CallCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The callers' secrets of a local run (the devstack, the tests, the benchmarks): one per caller, and for each
 * service the keys it trusts, derived from them as a deployment would derive its own.
 */
public final class LocalIdentities {

    public static final String GATEWAY = "gateway";
    /** The secret of the gateway's person ids: kept like a caller's, so a restarted devstack knows everyone again. */
    private static final String PERSON_IDS = "person-ids";
    public static final List<String> SERVICES = List.of("journal-service", "plans-service", "notifications-service", "care-service");

    private static LocalIdentities shared;

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Function<String, String> newSecret;

    private LocalIdentities(Function<String, String> newSecret) {
        this.newSecret = newSecret;
    }

    /** This JVM's identities, made on first use and never written anywhere. */
    public static synchronized LocalIdentities shared() {
        if (shared == null) {
            shared = new LocalIdentities(caller -> randomSecret());
        }
        return shared;
    }

    /** Identities kept in {@code folder}, one file per caller, so a restarted devstack keeps them. */
    public static LocalIdentities inFolder(Path folder) {
        return new LocalIdentities(caller -> {
            Path file = folder.resolve(caller + ".secret");
            try {
                if (Files.exists(file)) {
                    return Files.readString(file).trim();
                }
                Files.createDirectories(folder);
                String secret = randomSecret();
                Files.writeString(file, secret);
                OwnerOnly.restrict(file);
                return secret;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the identity of " + caller + " in " + folder, e);
            }
        });
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

    public String secretOf(String caller) {
        return secrets.computeIfAbsent(caller, newSecret);
    }

    /** A service's identity settings: its own signing secret, and the gateway and every service as trusted callers. */
    public Map<String, Object> serviceProperties(String serviceName) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("tandem.identity.signing-secret", secretOf(serviceName));
        properties.put("tandem.identity.trusted-callers." + GATEWAY, CallerKeys.deriveEncoded(secretOf(GATEWAY), serviceName));
        for (String caller : SERVICES) {
            if (!caller.equals(serviceName)) {
                properties.put("tandem.identity.trusted-callers." + caller, CallerKeys.deriveEncoded(secretOf(caller), serviceName));
            }
        }
        return properties;
    }

    public Map<String, Object> gatewayProperties() {
        return Map.of("tandem.identity.signing-secret", secretOf(GATEWAY), "tandem.auth.person-id-key", secretOf(PERSON_IDS));
    }

    /** The id the gateway of this run gives the person whose token names {@code subject}. */
    public String personIdOf(String subject) {
        return new PersonIds(Base64.getDecoder().decode(secretOf(PERSON_IDS))).of(subject);
    }

    /**
     * A local gateway's settings: this run's identity, the dev issuer's key set in {@code jwks}, and each service at its
     * port on {@code host}.
     */
    public Map<String, Object> gatewaySettings(Path jwks, String host, Map<String, Integer> servicePorts) {
        Map<String, Object> settings = new HashMap<>(gatewayProperties());
        servicePorts.forEach((service, port) -> settings.put("tandem.gateway.targets." + service, host + ":" + port));
        settings.put("tandem.auth.jwks-uri", jwks.toUri().toString());
        settings.put("tandem.auth.issuer", DevTokenIssuer.ISSUER);
        settings.put("tandem.auth.audience", DevTokenIssuer.AUDIENCE);
        settings.put("tandem.auth.allow-local-jwks", "true");
        return settings;
    }

    public CallerAssertions assertionsOf(String caller) {
        return new CallerAssertions(caller, Base64.getDecoder().decode(secretOf(caller)), Clock.systemUTC());
    }

    /** Calls straight to {@code service}, as the gateway makes them for a partner. */
    public CallCredentials partner(String service, String personId) {
        return as(service, Caller.person(personId, Set.of(Role.ROLE_PARTNER), "", "local"));
    }

    public CallCredentials as(String service, Caller caller) {
        return assertionsOf(GATEWAY).as(caller, service);
    }
}
