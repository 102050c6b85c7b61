package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;

/**
 * The lapses each person disclosed to a partner (from a shared check-in or explicitly), one document per lapse,
 * rebuilt by replay. Use reported only privately is never here.
 */
@Component
@ProcessingGroup(DisclosedLapses.PROCESSOR)
public class DisclosedLapses {

    public static final String PROCESSOR = "disclosed-lapses";

    private final MongoCollection<Document> lapses;

    public DisclosedLapses(MongoDatabase database) {
        this.lapses = database.getCollection("disclosed_lapses");
        lapses.createIndex(Indexes.ascending("person", "occurredAt"));
    }

    @EventHandler
    void on(UseRecorded event) {
        if (event.lapse() && event.disclosedIn() != null) {
            lapses.replaceOne(eq("_id", event.useId()), new Document("_id", event.useId())
                    .append("person", event.personId())
                    .append("occurredAt", Date.from(event.occurredAt())), new ReplaceOptions().upsert(true));
        }
    }

    @ResetHandler
    void reset() {
        lapses.deleteMany(new Document());
    }

    public void erase(String personId) {
        lapses.deleteMany(eq("person", personId));
    }

    /** How many lapses the person disclosed that occurred at or after {@code from}. */
    public int countSince(String personId, Instant from) {
        return (int) lapses.countDocuments(and(eq("person", personId), gte("occurredAt", Date.from(from))));
    }
}
