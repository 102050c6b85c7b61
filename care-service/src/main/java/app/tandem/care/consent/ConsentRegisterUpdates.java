package app.tandem.care.consent;

import app.tandem.care.consent.ConsentEvents.ConsentExpired;
import app.tandem.care.consent.ConsentEvents.ConsentExpiryNear;
import app.tandem.care.consent.ConsentEvents.ConsentPrepared;
import app.tandem.care.consent.ConsentEvents.ConsentRevoked;
import app.tandem.care.consent.ConsentEvents.ConsentSigned;
import app.tandem.care.consent.ConsentEvents.ConsentSuperseded;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Writes the {@link ConsentRegister} with the command itself (a subscribing processor). */
@Component
@ProcessingGroup(ConsentRegisterUpdates.PROCESSOR)
public class ConsentRegisterUpdates {

    public static final String PROCESSOR = "consent-register";

    private final ConsentRegister register;

    public ConsentRegisterUpdates(ConsentRegister register) {
        this.register = register;
    }

    @EventHandler
    void on(ConsentPrepared event, @SequenceNumber long sequence) {
        register.prepared(event, sequence);
    }

    /** @param stored when the event store took the signature: integration events carry the same clock's times */
    @EventHandler
    void on(ConsentSigned event, @SequenceNumber long sequence, @Timestamp Instant stored) {
        register.signed(event, sequence, stored);
    }

    @EventHandler
    void on(ConsentSuperseded event, @SequenceNumber long sequence) {
        register.superseded(event, sequence);
    }

    @EventHandler
    void on(ConsentRevoked event, @SequenceNumber long sequence) {
        register.revoked(event, sequence);
    }

    @EventHandler
    void on(ConsentExpired event, @SequenceNumber long sequence) {
        register.expired(event, sequence);
    }

    @EventHandler
    void on(ConsentExpiryNear event, @SequenceNumber long sequence) {
        register.warned(event, sequence);
    }

    /**
     * The same writes from a tracking processor: whatever a failed write or a crash between the event's storage and
     * the update left out is written a moment later, and operators can rebuild the register by replay.
     */
    @Component
    @ProcessingGroup(CatchUp.PROCESSOR)
    static class CatchUp extends ConsentRegisterUpdates {

        static final String PROCESSOR = "consent-register-catch-up";

        CatchUp(ConsentRegister register) {
            super(register);
        }
    }
}
