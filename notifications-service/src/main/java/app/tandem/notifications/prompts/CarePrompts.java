package app.tandem.notifications.prompts;

import app.tandem.events.v1.ConsentExpiring;
import app.tandem.events.v1.CounselorFirstRead;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.InvalidProtocolBufferException;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Turns what happens to a person's consents to share with a counselor into prompts for that person alone, never the
 * partner. Care events belong to no couple. Texts are lock-screen safe: no counselor, no organisation, nothing about
 * what is shared.
 */
@Component
public class CarePrompts implements IntegrationEventHandler {

    public static final String TOPIC = "tandem.care.v1";

    private final Dispatcher dispatcher;

    public CarePrompts(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public Set<String> topics() {
        return Set.of(TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        try {
            var payload = envelope.getPayload();
            String eventId = envelope.getEventId();
            if (payload.is(ConsentExpiring.class)) {
                ConsentExpiring expiring = payload.unpack(ConsentExpiring.class);
                prompt(eventId, expiring.getPatientPersonId(), NotificationKind.CONSENT_EXPIRING, "A consent ends soon",
                        "Something you agreed to share ends in a few days. Open Tandem to renew it or let it end.");
            } else if (payload.is(CounselorFirstRead.class)) {
                CounselorFirstRead read = payload.unpack(CounselorFirstRead.class);
                prompt(eventId, read.getPatientPersonId(), NotificationKind.COUNSELOR_FIRST_READ, "Your counselor opened what you share",
                        "A counselor you agreed to share with has received your record for the first time. "
                                + "You can see every disclosure in Tandem.");
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }

    private void prompt(String eventId, String patient, NotificationKind kind, String title, String body) {
        if (!patient.isEmpty()) {
            dispatcher.dispatch(new Inbox.Draft(eventId, patient, kind, "", title, body, null));
        }
    }
}
