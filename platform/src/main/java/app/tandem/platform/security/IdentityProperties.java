package app.tandem.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.Map;

/** Who this process is on internal calls, and whose assertions it accepts. */
@ConfigurationProperties("tandem.identity")
public class IdentityProperties {

    /** This process's name: the audience of the assertions it accepts and the issuer of those it signs. */
    private String name;
    /** Base64 of at least 32 random bytes; signs this process's assertions to the services it calls. */
    private String signingSecret;
    /** Per trusted caller, the base64 key it signs assertions to this service with ({@link CallerKeys}). */
    private Map<String, String> trustedCallers = new LinkedHashMap<>();
    /** The caller whose assertions may speak for people. */
    private String edge = "gateway";

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSigningSecret() {
        return signingSecret;
    }

    public void setSigningSecret(String signingSecret) {
        this.signingSecret = signingSecret;
    }

    public Map<String, String> getTrustedCallers() {
        return trustedCallers;
    }

    public void setTrustedCallers(Map<String, String> trustedCallers) {
        this.trustedCallers = trustedCallers;
    }

    public String getEdge() {
        return edge;
    }

    public void setEdge(String edge) {
        this.edge = edge;
    }
}
