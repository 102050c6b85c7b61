package app.tandem.notifications.reminders;

import app.tandem.platform.logging.Redacted;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.PreferenceStore;
import app.tandem.notifications.preferences.Preferences;
import app.tandem.platform.mongo.Claims;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Each person's daily check-in reminder at their chosen local time. The next time is stored, so reminders
 * survive restarts; after a pause only the latest missed one is considered, and it is skipped when the person
 * already checked in that local day. A reminder's id is its person and day, so it is never sent twice.
 */
@Component
public class DailyReminders {

    private static final Logger log = LoggerFactory.getLogger(DailyReminders.class);

    /** How long a reminder stays claimed: past it, one that failed (or whose replica died) is tried again. */
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final MongoCollection<Document> reminders;
    private final Claims due;
    private final PreferenceStore preferences;
    private final CheckIns checkIns;
    private final Dispatcher dispatcher;
    private final Clock clock;

    public DailyReminders(MongoDatabase database, PreferenceStore preferences, CheckIns checkIns, Dispatcher dispatcher, Clock clock) {
        this.reminders = database.getCollection("daily_reminders");
        this.reminders.createIndex(Indexes.ascending("nextAt"));
        this.due = Claims.dueBy(reminders, "nextAt", RETRY, clock);
        this.preferences = preferences;
        this.checkIns = checkIns;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** When the person's next daily reminder is due, if they asked for one. */
    public Optional<Instant> nextOf(String personId) {
        return Optional.ofNullable(reminders.find(eq("_id", personId)).first()).map(d -> d.getDate("nextAt")).map(Date::toInstant);
    }

    public void erase(String personId) {
        reminders.deleteOne(eq("_id", personId));
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

    /** Sends the reminders due now, at most {@code limit}, each claimed so that no two replicas send one. */
    public void sendDue(int limit) {
        Instant now = clock.instant();
        for (int done = 0; done < limit; done++) {
            Optional<Claims.Claim> claimed = due.next();
            if (claimed.isEmpty()) {
                return;
            }
            Claims.Claim claim = claimed.get();
            String person = claim.item().getString("_id");
            Preferences prefs = preferences.of(person);
            if (prefs.dailyReminder() == null) {
                reminders.deleteOne(claim.mine());
                continue;
            }
            Instant occurrence = ReminderTimes.latestAtOrBefore(prefs.dailyReminder(), prefs.zone(), now);
            Optional<Instant> lastCheckIn;
            try {
                lastCheckIn = checkIns.lastCheckInOf(person);
            } catch (RuntimeException e) {
                // the claim runs out after the retry interval and the reminder is due again
                log.warn("cannot ask the journal about a person's check-ins, trying again shortly: {}", Redacted.describe(e));
                continue;
            }
            boolean checkedInToday = lastCheckIn.filter(at -> !at.isBefore(ReminderTimes.startOfDay(occurrence, prefs.zone()))).isPresent();
            if (!checkedInToday) {
                String day = occurrence.atZone(prefs.zone()).toLocalDate().toString();
                dispatcher.dispatch(new Inbox.Draft("reminder:" + day, person, NotificationKind.DAILY_REMINDER, "",
                        "Time for your check-in", "A few seconds for how today is going.", null), prefs);
            }
            reminders.updateOne(claim.mine(), Updates.combine(Updates.set("nextAt",
                    Date.from(ReminderTimes.nextAfter(prefs.dailyReminder(), prefs.zone(), now))), Claims.release()));
        }
    }
}
