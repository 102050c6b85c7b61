package app.tandem.notifications.reminders;

import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.PreferenceStore;
import app.tandem.notifications.preferences.Preferences;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

/**
 * Each person's daily check-in reminder at their chosen local time. The next time is stored, so reminders
 * survive restarts; after a pause only the latest missed one is considered, and it is skipped when the person
 * already checked in that local day. A reminder's id is its person and day, so it is never sent twice.
 */
@Component
public class DailyReminders {

    private static final Logger log = LoggerFactory.getLogger(DailyReminders.class);

    private final MongoCollection<Document> reminders;
    private final PreferenceStore preferences;
    private final CheckIns checkIns;
    private final Dispatcher dispatcher;
    private final Clock clock;

    public DailyReminders(MongoDatabase database, PreferenceStore preferences, CheckIns checkIns, Dispatcher dispatcher, Clock clock) {
        this.reminders = database.getCollection("daily_reminders");
        this.preferences = preferences;
        this.checkIns = checkIns;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** (Re)plans the person's reminder after their preferences changed. */
    public void schedule(String personId, Preferences prefs) {
        if (prefs.dailyReminder() == null) {
            reminders.deleteOne(eq("_id", personId));
            return;
        }
        Instant next = ReminderTimes.nextAfter(prefs.dailyReminder(), prefs.zone(), clock.instant());
        reminders.replaceOne(eq("_id", personId), new Document("_id", personId).append("nextAt", Date.from(next)),
                new ReplaceOptions().upsert(true));
    }

    @Scheduled(fixedDelayString = "${tandem.notifications.reminder-interval:1s}")
    public void sendDue() {
        Instant now = clock.instant();
        for (Document due : reminders.find(lte("nextAt", Date.from(now))).limit(200)) {
            String person = due.getString("_id");
            Preferences prefs = preferences.of(person);
            if (prefs.dailyReminder() == null) {
                reminders.deleteOne(eq("_id", person));
                continue;
            }
            Instant occurrence = ReminderTimes.latestAtOrBefore(prefs.dailyReminder(), prefs.zone(), now);
            Optional<Instant> lastCheckIn;
            try {
                lastCheckIn = checkIns.lastCheckInOf(person);
            } catch (RuntimeException e) {
                log.warn("cannot ask the journal about {}'s check-ins, trying again shortly: {}", person, e.toString());
                continue;
            }
            boolean checkedInToday = lastCheckIn.filter(at -> !at.isBefore(ReminderTimes.startOfDay(occurrence, prefs.zone()))).isPresent();
            if (!checkedInToday) {
                String day = occurrence.atZone(prefs.zone()).toLocalDate().toString();
                dispatcher.dispatch(new Inbox.Draft("reminder:" + day, person, NotificationKind.DAILY_REMINDER, "",
                        "Time for your check-in", "A few seconds for how today is going.", null), prefs);
            }
            reminders.updateOne(eq("_id", person), Updates.set("nextAt",
                    Date.from(ReminderTimes.nextAfter(prefs.dailyReminder(), prefs.zone(), now))));
        }
    }
}
