package app.tandem.notifications.delivery;

import app.tandem.platform.mongo.CappedCounts;
import com.mongodb.client.MongoDatabase;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * How many prompts one partner has pushed to the other this hour (a clock hour, counted apart for urgent ones and the
 * others): one atomic count per partner and hour, so a flood costs a write per prompt however long the inbox is.
 */
@Component
public class PushBudgets {

    private final CappedCounts pushes;

    public PushBudgets(MongoDatabase database) {
        this.pushes = new CappedCounts(database.getCollection("push_budgets"));
    }

    /** Removes the recipient's counts of pushes (keyed "recipient/…"). */
    public void erase(String recipient) {
        pushes.erase(recipient + "/");
    }

    /** Takes one of the hour's {@code perHour} pushes from the couple's partner to {@code recipient}; false when none are left. */
    public boolean take(String recipient, String coupleId, boolean urgent, Instant now, int perHour) {
        long hour = now.getEpochSecond() / 3600;
        String id = recipient + "/" + coupleId + "/" + (urgent ? "urgent" : "other") + "/" + hour;
        return pushes.addOne(id, perHour, Instant.ofEpochSecond((hour + 2) * 3600));
    }
}
