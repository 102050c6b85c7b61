package app.tandem.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
        private String journalTarget;
        private String notificationsTarget;
        private String plansTarget = "127.0.0.1:9102";

        public String getJournalTarget() {
            return journalTarget;
        }

        public void setJournalTarget(String journalTarget) {
            this.journalTarget = journalTarget;
        }

        public String getNotificationsTarget() {
            return notificationsTarget;
        }

        public void setNotificationsTarget(String notificationsTarget) {
            this.notificationsTarget = notificationsTarget;
        }

        public String getPlansTarget() {
            return plansTarget;
        }

        public void setPlansTarget(String plansTarget) {
            this.plansTarget = plansTarget;
        }
    }

    public static class Auth {
        /** A file: or https: URL of the token issuer's JSON Web Key Set. */
        private String jwksUri;
        private String issuer;

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
    }
}
