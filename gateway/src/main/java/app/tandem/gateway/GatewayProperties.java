package app.tandem.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

@ConfigurationProperties("tandem")
public class GatewayProperties {

    private final Gateway gateway = new Gateway();
    private final Auth auth = new Auth();

    public Gateway getGateway() {
        return gateway;
    }

    public Auth getAuth() {
        return auth;
    }

    public static class Gateway {
        /** Where each service is reached (host:port), by its name as the API's access option names its owner. */
        private Map<String, String> targets = new LinkedHashMap<>();
        /** The longest a unary call may take inside; a client's shorter deadline is kept. */
        private Duration unaryDeadline = Duration.ofSeconds(10);

        public Map<String, String> getTargets() {
            return targets;
        }

        public void setTargets(Map<String, String> targets) {
            this.targets = targets;
        }

        public Duration getUnaryDeadline() {
            return unaryDeadline;
        }

        public void setUnaryDeadline(Duration unaryDeadline) {
            this.unaryDeadline = unaryDeadline;
        }
    }

    public static class Auth {
        /** The token issuer's JSON Web Key Set: an https: URL (file: or http: only with allowLocalJwks). */
        private String jwksUri;
        private String issuer;
        /** The audience a token must name: this deployment of Tandem, as the identity provider calls it. */
        private String audience;
        /** Tokens issued longer ago than this are refused, whatever their expiry says. */
        private Duration maxTokenAge = Duration.ofHours(24);
        /** Accept a JWKS from a file or over plain HTTP: for the devstack and tests only. */
        private boolean allowLocalJwks;

        public String getJwksUri() {
            return jwksUri;
        }

        public void setJwksUri(String jwksUri) {
            this.jwksUri = jwksUri;
        }

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        public String getAudience() {
            return audience;
        }

        public void setAudience(String audience) {
            this.audience = audience;
        }

        public Duration getMaxTokenAge() {
            return maxTokenAge;
        }

        public void setMaxTokenAge(Duration maxTokenAge) {
            this.maxTokenAge = maxTokenAge;
        }

        public boolean isAllowLocalJwks() {
            return allowLocalJwks;
        }

        public void setAllowLocalJwks(boolean allowLocalJwks) {
            this.allowLocalJwks = allowLocalJwks;
        }
    }
}
