package app.tandem.platform.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/** The identity this process signs its internal calls with, wherever one is configured. */
@AutoConfiguration
@EnableConfigurationProperties(IdentityProperties.class)
public class IdentityConfiguration {

    @Bean
    @ConditionalOnProperty("tandem.identity.signing-secret")
    public CallerAssertions callerAssertions(IdentityProperties identity, @Value("${spring.application.name}") String applicationName) {
        return new CallerAssertions(nameOf(identity, applicationName), CallerKeys.decode(identity.signingSecret(), "signing secret"),
                Clock.systemUTC());
    }

    static String nameOf(IdentityProperties identity, String applicationName) {
        return identity.name() == null || identity.name().isBlank() ? applicationName : identity.name();
    }
}
