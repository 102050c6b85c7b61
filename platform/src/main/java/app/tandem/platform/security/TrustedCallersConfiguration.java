package app.tandem.platform.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.GlobalServerInterceptor;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every service behind the gateway admits only calls asserted by a caller it trusts. */
@AutoConfiguration
@EnableConfigurationProperties(IdentityProperties.class)
public class TrustedCallersConfiguration {

    @Bean
    @GlobalServerInterceptor
    public TrustedCallers trustedCallers(IdentityProperties identity, @Value("${spring.application.name}") String applicationName) {
        if (identity.trustedCallers().isEmpty()) {
            throw new IllegalStateException("tandem.identity.trusted-callers is empty: nobody, not even the gateway, could call "
                    + applicationName);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        identity.trustedCallers().forEach((caller, key) -> keys.put(caller, CallerKeys.decode(key, "key trusted for " + caller)));
        return new TrustedCallers(new AssertionVerifier(IdentityConfiguration.nameOf(identity, applicationName), identity.edge(),
                keys, Clock.systemUTC()));
    }
}
