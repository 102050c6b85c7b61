package app.tandem.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

import static app.tandem.platform.SettingChecks.longerThanZero;

/** The gateway's settings ({@code tandem.gateway.*} and {@code tandem.auth.*}), checked when it starts. */
@ConfigurationProperties("tandem")
public record GatewayProperties(@DefaultValue Gateway gateway, @DefaultValue Auth auth) {

    /**
     * @param targets       where each service is reached (host:port), by its name as the API's access option names its owner
     * @param unaryDeadline the longest a unary call may take inside; a client's shorter deadline is kept
     */
    public record Gateway(Map<String, String> targets, @DefaultValue("10s") Duration unaryDeadline) {
        public Gateway {
            targets = targets == null ? Map.of() : Map.copyOf(targets);
            longerThanZero("tandem.gateway.unary-deadline", unaryDeadline);
        }
    }

    /**
     * @param jwksUri        the token issuer's JSON Web Key Set: an https: URL (file: or http: only with allowLocalJwks)
     * @param issuer         the issuer a token must name
     * @param audience       the audience a token must name: this deployment of Tandem, as the identity provider calls it
     * @param maxTokenAge    tokens issued longer ago than this are refused, whatever their expiry says
     * @param allowLocalJwks accept a JWKS from a file or over plain HTTP: for the devstack and tests only
     */
    public record Auth(String jwksUri, String issuer, String audience, @DefaultValue("24h") Duration maxTokenAge,
                       boolean allowLocalJwks) {
        public Auth {
            longerThanZero("tandem.auth.max-token-age", maxTokenAge);
        }
    }
}
