package app.tandem.notifications.delivery;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/** Who snoozed their partner in which couple, and until when: one row per person and couple, set again, never added to. */
@Component
public class Snoozes {

    private final MongoCollection<Document> snoozes;

    public Snoozes(MongoDatabase database) {
        this.snoozes = database.getCollection("partner_snoozes");
    }

    public void snooze(String personId, String coupleId, Instant until) {
        snoozes.replaceOne(eq("_id", key(personId, coupleId)), new Document("_id", key(personId, coupleId)).append("until", Date.from(until)),
                new ReplaceOptions().upsert(true));
    }

    public void end(String personId, String coupleId) {
        snoozes.deleteOne(eq("_id", key(personId, coupleId)));
    }

    public Optional<Instant> until(String personId, String coupleId, Instant now) {
        Document snooze = snoozes.find(eq("_id", key(personId, coupleId))).first();
        return Optional.ofNullable(snooze).map(d -> d.getDate("until").toInstant()).filter(now::isBefore);
    }

    public boolean snoozed(String personId, String coupleId, Instant now) {
        return until(personId, coupleId, now).isPresent();
    }

    private static String key(String personId, String coupleId) {
        return personId + "/" + coupleId;
    }
}
