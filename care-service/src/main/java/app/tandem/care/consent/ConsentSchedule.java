package app.tandem.care.consent;

import app.tandem.care.consent.ConsentCommands.ExpireConsent;
import app.tandem.care.consent.ConsentCommands.WarnOfExpiry;
import org.axonframework.commandhandling.gateway.CommandGateway;
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
            commands.sendAndWait(new ExpireConsent(consentId, now));
        }
        for (String consentId : register.endingBy(now.plus(Consent.WARNING), false)) {
            commands.sendAndWait(new WarnOfExpiry(consentId, now));
        }
    }
}
