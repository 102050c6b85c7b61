package app.tandem.care.consent;

import app.tandem.care.consent.ConsentCommands.ExpireConsent;
import app.tandem.care.consent.ConsentCommands.WarnOfExpiry;
import app.tandem.platform.logging.Redacted;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/**
 * Ends consents whose date came and warns their patients a few days ahead, polled by every replica: the aggregate
 * takes each once. Disclosures never wait for it, since they check the date themselves.
 */
@Component
public class ConsentSchedule {

    public static final String NAME = "consent-expiry";

    private static final Logger log = LoggerFactory.getLogger(ConsentSchedule.class);

    private final ConsentRegister register;
    private final CommandGateway commands;
    private final Clock clock;

    public ConsentSchedule(ConsentRegister register, CommandGateway commands, Clock clock) {
        this.register = register;
        this.commands = commands;
        this.clock = clock;
    }

    public void runDue() {
        Instant now = clock.instant();
        for (String consentId : register.endingBy(now, true)) {
            send(new ExpireConsent(consentId, now));
        }
        for (String consentId : register.endingBy(now.plus(Consent.WARNING), false)) {
            send(new WarnOfExpiry(consentId, now));
        }
    }

    /** One consent's failure (another replica's command at the same moment, say) leaves the others to go on; it is asked again next time. */
    private void send(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (RuntimeException e) {
            log.warn("a consent's due end or warning failed; asked again at the next poll", Redacted.of(e));
        }
    }
}
