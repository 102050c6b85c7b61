package app.tandem.journal;

import app.tandem.journal.couple.InviteCodes;
import app.tandem.platform.TandemProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

@Configuration(proxyBeanMethods = false)
public class JournalConfiguration {

    /** Invite codes are keyed by a secret derived from the master key, never by the key itself. */
    @Bean
    InviteCodes inviteCodes(TandemProperties properties) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update("tandem invite codes".getBytes(StandardCharsets.UTF_8));
        digest.update(Base64.getDecoder().decode(properties.getCrypto().getMasterKey()));
        return new InviteCodes(digest.digest());
    }
}
