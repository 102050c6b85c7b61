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
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;

/**
 * The lapses each person disclosed to a partner (from a shared check-in or explicitly), one document per lapse with
 * its safety facts, rebuilt by replay. Use reported only privately is never here; a lapse whose facts were erased is
 * kept for counting without them.
 */
@Component
@ProcessingGroup(DisclosedLapses.PROCESSOR)
public class DisclosedLapses {

    public static final String PROCESSOR = "disclosed-lapses";

    /** What the person disclosed about a lapse. */
    public record Lapse(List<Substance> substances, boolean usedAlone, boolean naloxoneAtHand) {
    }

    private final MongoCollection<Document> lapses;

    public DisclosedLapses(MongoDatabase database) {
        this.lapses = database.getCollection("disclosed_lapses");
        lapses.createIndex(Indexes.ascending("person", "occurredAt"));
    }

    @EventHandler
    void on(UseRecorded event) {
        // a use whose person was erased (its facts null) is no disclosed lapse of anyone any more
        if (event.use() != null && event.lapse() && event.disclosedIn() != null) {
            Document lapse = new Document("_id", event.useId())
                    .append("person", event.personId())
                    .append("occurredAt", Date.from(event.occurredAt()))
                    .append("substances", event.use().substances().stream().map(Enum::name).toList())
                    .append("usedAlone", event.use().usedAlone())
                    .append("naloxoneAtHand", event.use().naloxoneAtHand());
            lapses.replaceOne(eq("_id", event.useId()), lapse, new ReplaceOptions().upsert(true));
        }
    }

    @ResetHandler
    void reset() {
        lapses.deleteMany(new Document());
    }

    public void erase(String personId) {
        lapses.deleteMany(eq("person", personId));
    }

    /** A disclosed lapse's facts; empty when it is unknown or its facts were erased. */
    public Optional<Lapse> lapse(String lapseId) {
        Document d = lapses.find(eq("_id", lapseId)).first();
        if (d == null || !d.containsKey("substances")) {
            return Optional.empty();
        }
        return Optional.of(new Lapse(d.getList("substances", String.class).stream().map(Substance::valueOf).toList(),
                d.getBoolean("usedAlone"), d.getBoolean("naloxoneAtHand")));
    }

    /** How many lapses the person disclosed that occurred at or after {@code from}. */
    public int countSince(String personId, Instant from) {
        return (int) lapses.countDocuments(and(eq("person", personId), gte("occurredAt", Date.from(from))));
    }
}
