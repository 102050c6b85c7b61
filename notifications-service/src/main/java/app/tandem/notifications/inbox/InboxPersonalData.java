package app.tandem.notifications.inbox;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Every notification a person received, read or not. Those their partner received about them are the partner's. */
@Component
public class InboxPersonalData implements PersonalData {

    private final Inbox inbox;

    public InboxPersonalData(Inbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (Document notification : inbox.everyNotificationOf(personId)) {
            export.item("notification", notification.getString("_id"), StoredFields.of(notification, "recipient"));
        }
    }

    @Override
    public void erase(String personId) {
        inbox.erase(personId);
    }
}
