package app.tandem.notifications.delivery;

import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

/** Prompts held back by quiet hours or the daily cap until their digest is due. Keyed by notification id. */
@Component
public class HeldPrompts {

    public record Held(Inbox.Draft draft, Instant until) {
    }

    private final MongoCollection<Document> held;

    public HeldPrompts(MongoDatabase database) {
        this.held = database.getCollection("held_prompts");
    }

    public boolean contains(String notificationId) {
        return held.find(eq("_id", notificationId)).first() != null;
    }

    public void hold(Inbox.Draft draft, Instant until) {
        held.replaceOne(eq("_id", draft.notificationId()), new Document("_id", draft.notificationId())
                .append("cause", draft.causeEventId())
                .append("recipient", draft.recipientPersonId())
                .append("kind", draft.kind().name())
                .append("coupleId", draft.coupleId())
                .append("title", draft.title())
                .append("body", draft.body())
                .append("checkInId", draft.checkInId())
                .append("until", Date.from(until)), new ReplaceOptions().upsert(true));
    }

    /** Everything due at {@code now}, oldest first. */
    public List<Held> due(Instant now, int limit) {
        List<Held> result = new ArrayList<>();
        for (Document d : held.find(lte("until", Date.from(now))).sort(Sorts.ascending("until")).limit(limit)) {
            result.add(new Held(new Inbox.Draft(d.getString("cause"), d.getString("recipient"), NotificationKind.valueOf(d.getString("kind")),
                    d.getString("coupleId"), d.getString("title"), d.getString("body"), d.getString("checkInId")),
                    d.getDate("until").toInstant()));
        }
        return result;
    }

    public void release(String notificationId) {
        held.deleteOne(eq("_id", notificationId));
    }
}
