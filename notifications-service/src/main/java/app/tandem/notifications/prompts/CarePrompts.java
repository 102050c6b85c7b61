package app.tandem.notifications.prompts;

import app.tandem.events.v1.ConsentExpiring;
import app.tandem.events.v1.CounselorFirstRead;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.NotificationKind;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.springframework.stereotype.Component;

/**
 * Turns what happens to a person's consents to share with a counselor into prompts for that person alone, never the
 * partner. Care events belong to no couple. Texts are lock-screen safe: no counselor, no organisation, nothing about
 * what is shared.
 */
@Component
public class CarePrompts extends TopicPrompts {

    public static final String TOPIC = "tandem.care.v1";
    /** Care events belong to no couple, and neither do their prompts. */
    private static final String NO_COUPLE = "";

    public CarePrompts(Dispatcher dispatcher) {
        super(TOPIC, dispatcher);
    }

    @Override
    protected void onEvent(String eventId, Any payload) throws InvalidProtocolBufferException {
        if (payload.is(ConsentExpiring.class)) {
            ConsentExpiring expiring = payload.unpack(ConsentExpiring.class);
            prompt(eventId, expiring.getPatientPersonId(), NotificationKind.CONSENT_EXPIRING, NO_COUPLE, "A consent ends soon",
                    "Something you agreed to share ends in a few days. Open Tandem to renew it or let it end.");
        } else if (payload.is(CounselorFirstRead.class)) {
            CounselorFirstRead read = payload.unpack(CounselorFirstRead.class);
            prompt(eventId, read.getPatientPersonId(), NotificationKind.COUNSELOR_FIRST_READ, NO_COUPLE, "An update about your sharing",
                    "Someone you agreed to share with has now received what you share. "
                            + "You can see every disclosure in Tandem.");
        }
    }
}
