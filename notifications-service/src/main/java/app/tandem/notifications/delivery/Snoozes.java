package app.tandem.notifications.delivery;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Whom each person snoozed, and until when: one document per person holding a few couples, so no one can fill the
 * store by snoozing made-up couples. Beyond {@link #PER_PERSON}, those ending first go (ended ones before all).
 */
@Component
public class Snoozes {

    static final int PER_PERSON = 5;
    private static final String COUPLES = "couples";

    private final MongoCollection<Document> snoozes;

    public Snoozes(MongoDatabase database) {
        this.snoozes = database.getCollection("partner_snoozes");
    }

    public void snooze(String personId, String coupleId, Instant until) {
        // a couple id is a UUID, checked at the edge: a safe field name
        snoozes.updateOne(eq("_id", personId), Updates.set(COUPLES + "." + coupleId, Date.from(until)), new UpdateOptions().upsert(true));
        Document mine = snoozes.find(eq("_id", personId)).first();
        Map<String, Object> couples = mine == null || mine.get(COUPLES) == null ? Map.of() : mine.get(COUPLES, Document.class);
        if (couples.size() > PER_PERSON) {
            List<String> dropped = couples.entrySet().stream()
                    .filter(e -> !e.getKey().equals(coupleId))
                    .sorted(Comparator.comparing(e -> (Date) e.getValue()))
                    .limit(couples.size() - PER_PERSON)
                    .map(Map.Entry::getKey).toList();
            snoozes.updateOne(eq("_id", personId), Updates.combine(dropped.stream().map(c -> Updates.unset(COUPLES + "." + c)).toList()));
        }
    }

    /** Until when the person snoozed each couple's partner prompts. */
    public Map<String, Object> of(String personId) {
        Document mine = snoozes.find(eq("_id", personId)).first();
        return mine == null || mine.get(COUPLES) == null ? Map.of() : mine.get(COUPLES, Document.class);
    }

    public void erase(String personId) {
        snoozes.deleteOne(eq("_id", personId));
    }

    public void end(String personId, String coupleId) {
        snoozes.updateOne(eq("_id", personId), Updates.unset(COUPLES + "." + coupleId));
    }

    public Optional<Instant> until(String personId, String coupleId, Instant now) {
        Document mine = snoozes.find(eq("_id", personId)).first();
        return Optional.ofNullable(mine).map(d -> d.get(COUPLES, Document.class)).map(c -> c.getDate(coupleId))
                .map(Date::toInstant).filter(now::isBefore);
    }

    public boolean snoozed(String personId, String coupleId, Instant now) {
        return until(personId, coupleId, now).isPresent();
    }
}
