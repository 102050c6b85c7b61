package app.tandem.notifications.channels;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** The copies of prompts and the confirmation codes sent to a person's e-mail address or webhook, and how each went. */
@Component
public class OutboxPersonalData implements PersonalData {

    private final Outbox outbox;

    public OutboxPersonalData(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (Document message : outbox.messagesTo(personId)) {
            // the lease fields say which replica sent it: nothing about the person
            export.item("outbound-message", message.getString("_id"), StoredFields.of(message, "recipient", "claimedBy", "claimedUntil"));
        }
    }

    @Override
    public void erase(String personId) {
        outbox.erase(personId);
    }
}
