package app.tandem.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * Who this process is on internal calls, and whose assertions it accepts ({@code tandem.identity.*}).
 *
 * @param name           this process's name: the audience of the assertions it accepts and the issuer of those it
 *                       signs; the service's name when not set
 * @param signingSecret  Base64 of at least 32 random bytes; signs this process's assertions to the services it calls
 * @param trustedCallers per trusted caller, the Base64 key it signs assertions to this service with ({@link CallerKeys})
 * @param edge           the caller whose assertions may speak for people
 */
@ConfigurationProperties("tandem.identity")
public record IdentityProperties(String name, String signingSecret, Map<String, String> trustedCallers,
                                 @DefaultValue("gateway") String edge) {

    public IdentityProperties {
        trustedCallers = trustedCallers == null ? Map.of() : Map.copyOf(trustedCallers);
        if (edge == null || edge.isBlank()) {
            throw new IllegalArgumentException("tandem.identity.edge must name the caller that speaks for people");
        }
    }
}
