package app.tandem.notifications.reminders;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.springframework.stereotype.Component;

import java.util.Map;

/** When a person's next daily reminder is due. */
@Component
public class ReminderPersonalData implements PersonalData {

    private final DailyReminders reminders;

    public ReminderPersonalData(DailyReminders reminders) {
        this.reminders = reminders;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        reminders.nextOf(personId).ifPresent(next -> export.item("daily-reminder", personId, Map.of("nextAt", StoredFields.time(next))));
    }

    @Override
    public void erase(String personId) {
        reminders.erase(personId);
    }
}
