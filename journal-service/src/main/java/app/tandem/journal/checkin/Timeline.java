package app.tandem.journal.checkin;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;

/**
 * The journal's read model: one document per check-in, rebuilt from the event store by replay.
 * Upserts keyed by check-in id make redelivery harmless.
 */
@Component
@ProcessingGroup("timeline")
public class Timeline {

    public record Entry(String checkInId, String coupleId, String authorPersonId, Instant occurredAt, int mood,
                        int cravingIntensity, boolean used, String encryptedNote, Visibility visibility) {
    }

    /** Position of the last entry of a page: entries strictly older come next. */
    public record Cursor(Instant occurredAt, String checkInId) {
    }

    private final MongoCollection<Document> entries;

    public Timeline(MongoDatabase database) {
        this.entries = database.getCollection("timeline_entries");
    }

    @EventHandler
    void on(CheckInRecorded event) {
        entries.replaceOne(eq("_id", event.checkInId()), new Document("_id", event.checkInId())
                .append("coupleId", event.coupleId())
                .append("author", event.authorPersonId())
                .append("occurredAt", Date.from(event.occurredAt()))
                .append("mood", event.mood())
                .append("craving", event.cravingIntensity())
                .append("used", event.used())
                .append("note", event.encryptedNote())
                .append("visibility", event.visibility().name()), new ReplaceOptions().upsert(true));
    }

    @ResetHandler
    void reset() {
        entries.deleteMany(new Document());
    }

    /**
     * What {@code reader} may see in a couple: everything they wrote, and what the given current partners
     * shared with a partner. A former partner's entries drop out the moment they are no longer passed in.
     */
    public List<Entry> visibleTo(String reader, String coupleId, List<String> currentPartners, Cursor after, int limit) {
        List<String> others = currentPartners.stream().filter(p -> !p.equals(reader)).toList();
        Bson visible = or(eq("author", reader),
                and(in("author", others), eq("visibility", Visibility.SHARED_WITH_PARTNER.name())));
        Bson filter = and(eq("coupleId", coupleId), visible);
        if (after != null) {
            Date at = Date.from(after.occurredAt());
            filter = and(filter, or(Filters.lt("occurredAt", at), and(eq("occurredAt", at), Filters.lt("_id", after.checkInId()))));
        }
        List<Entry> page = new ArrayList<>();
        for (Document d : entries.find(filter).sort(Sorts.orderBy(Sorts.descending("occurredAt"), Sorts.descending("_id"))).limit(limit)) {
            page.add(new Entry(d.getString("_id"), d.getString("coupleId"), d.getString("author"),
                    d.getDate("occurredAt").toInstant(), d.getInteger("mood"), d.getInteger("craving"),
                    d.getBoolean("used"), d.getString("note"), Visibility.valueOf(d.getString("visibility"))));
        }
        return page;
    }
}
