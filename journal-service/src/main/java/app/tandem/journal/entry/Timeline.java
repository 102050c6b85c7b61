package app.tandem.journal.entry;

import app.tandem.journal.entry.EntryEvents.CheckInAmended;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.entry.EntryEvents.EntryRetracted;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.journal.progress.Substance;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

/**
 * The journal's read model: the latest version of every entry, rebuilt from the event store by replay.
 * Writes are keyed by entry id and guarded by version, so redelivery and replays change nothing twice.
 */
@Component
@ProcessingGroup(Timeline.PROCESSOR)
public class Timeline {

    public static final String PROCESSOR = "timeline";

    /** One version of an entry; exactly one of {@code checkIn} and {@code review} is set. */
    public record EntryVersion(String entryId, String coupleId, String authorPersonId, Entry.Kind kind,
                        Instant occurredAt, Instant recordedAt, int version, boolean retracted,
                        EntryContent.CheckIn checkIn, EntryContent.WeeklyReview review) {

        public Visibility visibility() {
            return checkIn != null ? checkIn.visibility() : review.visibility();
        }

        static EntryVersion of(CheckInRecorded event) {
            return new EntryVersion(event.entryId(), event.coupleId(), event.authorPersonId(), Entry.Kind.CHECK_IN,
                    event.occurredAt(), event.recordedAt(), 1, false, event.content(), null);
        }

        static EntryVersion of(WeeklyReviewRecorded event) {
            return new EntryVersion(event.entryId(), event.coupleId(), event.authorPersonId(), Entry.Kind.WEEKLY_REVIEW,
                    event.occurredAt(), event.recordedAt(), 1, false, null, event.content());
        }

        /** The version an amendment makes; it keeps the time the entry was first recorded. */
        EntryVersion amendedBy(CheckInAmended event) {
            return new EntryVersion(entryId, coupleId, authorPersonId, kind, occurredAt, recordedAt, event.version(), false,
                    event.content(), null);
        }

        EntryVersion retractedBy(EntryRetracted event) {
            return new EntryVersion(entryId, coupleId, authorPersonId, kind, occurredAt, recordedAt, event.version(), true,
                    checkIn, review);
        }
    }

    /** Position of the last entry of a page: entries strictly older come next. */
    public record Cursor(Instant occurredAt, String entryId) {
    }

    /** What a reader asks for: an optional occurred-at range (from inclusive, to exclusive) and kinds (all when empty). */
    public record Filter(Instant from, Instant to, Set<Entry.Kind> kinds) {
    }

    private final MongoCollection<Document> entries;

    public Timeline(MongoDatabase database) {
        this.entries = database.getCollection("timeline_entries");
        // a person's own entries: their trends, their export and their erasure
        entries.createIndex(Indexes.ascending("author", "occurredAt"));
    }

    @EventHandler
    void on(CheckInRecorded event) {
        if (event.erased()) {
            return;
        }
        store(EntryVersion.of(event));
    }

    @EventHandler
    void on(WeeklyReviewRecorded event) {
        if (event.erased()) {
            return;
        }
        store(EntryVersion.of(event));
    }

    @EventHandler
    void on(CheckInAmended event) {
        if (event.erased()) {
            return;
        }
        Document amended = toDocument(new EntryVersion(event.entryId(), event.coupleId(), event.authorPersonId(),
                Entry.Kind.CHECK_IN, event.occurredAt(), event.amendedAt(), event.version(), false,
                event.content(), null));
        amended.remove("recordedAt"); // the entry keeps the time it was first recorded
        entries.updateOne(and(eq("_id", event.entryId()), lt("version", event.version())), new Document("$set", amended));
    }

    @EventHandler
    void on(EntryRetracted event) {
        entries.updateOne(and(eq("_id", event.entryId()), lt("version", event.version())),
                Updates.combine(Updates.set("version", event.version()), Updates.set("retracted", true)));
    }

    @ResetHandler
    void reset() {
        entries.deleteMany(new Document());
    }

    private void store(EntryVersion entry) {
        entries.replaceOne(eq("_id", entry.entryId()), toDocument(entry), new ReplaceOptions().upsert(true));
    }

    /**
     * What {@code reader} may see in a couple: everything they wrote, and what the given current partners
     * shared with a partner. A former partner's entries drop out the moment they are no longer passed in.
     * Retracted entries are in nobody's timeline.
     */
    public List<EntryVersion> visibleTo(String reader, String coupleId, List<String> currentPartners, Filter filter, Cursor after, int limit) {
        List<String> others = currentPartners.stream().filter(p -> !p.equals(reader)).toList();
        Bson visible = or(eq("author", reader), and(in("author", others), sharedWithPartner()));
        List<Bson> conditions = new ArrayList<>(List.of(eq("coupleId", coupleId), eq("retracted", false), visible));
        if (filter.from() != null) {
            conditions.add(Filters.gte("occurredAt", Date.from(filter.from())));
        }
        if (filter.to() != null) {
            conditions.add(lt("occurredAt", Date.from(filter.to())));
        }
        if (!filter.kinds().isEmpty()) {
            conditions.add(in("kind", filter.kinds().stream().map(Enum::name).toList()));
        }
        if (after != null) {
            Date at = Date.from(after.occurredAt());
            conditions.add(or(lt("occurredAt", at), and(eq("occurredAt", at), lt("_id", after.entryId()))));
        }
        return found(entries.find(and(conditions)).sort(newestFirst()).limit(limit));
    }

    /** The author's own check-ins, of any visibility, that occurred at or after {@code from}, for their own trends. */
    public List<EntryVersion> checkInsOf(String author, Instant from) {
        return checkInsOf(author, from, Filters.empty());
    }

    /** The author's check-ins shared with a partner that occurred at or after {@code from}: never a private one. */
    public List<EntryVersion> sharedCheckInsOf(String author, Instant from) {
        return checkInsOf(author, from, sharedWithPartner());
    }

    private List<EntryVersion> checkInsOf(String author, Instant from, Bson visible) {
        return found(entries.find(and(eq("author", author), eq("kind", Entry.Kind.CHECK_IN.name()),
                eq("retracted", false), Filters.gte("occurredAt", Date.from(from)), visible)));
    }

    /**
     * The latest version of each of {@code entryIds} that {@code author} wrote and shared with a partner, and did not
     * retract; the others are left out.
     */
    public List<EntryVersion> sharedEntriesOf(String author, Collection<String> entryIds) {
        return found(entries.find(and(in("_id", entryIds), eq("author", author), eq("retracted", false), sharedWithPartner())));
    }

    /** The latest version of a check-in its author shares with their partner and did not retract. */
    public Optional<EntryVersion> sharedCheckIn(String entryId) {
        return Optional.ofNullable(entries.find(and(eq("_id", entryId), eq("kind", Entry.Kind.CHECK_IN.name()),
                eq("retracted", false), sharedWithPartner())).first()).map(Timeline::fromDocument);
    }

    /** The author's latest {@code limit} weekly reviews shared with a partner and not retracted, oldest first. */
    public List<EntryVersion> sharedReviewsOf(String author, int limit) {
        List<EntryVersion> newestFirst = found(entries.find(and(eq("author", author), eq("kind", Entry.Kind.WEEKLY_REVIEW.name()),
                eq("retracted", false), sharedWithPartner())).sort(newestFirst()).limit(limit));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Every entry the author wrote, retracted ones too, oldest first: what they wrote is theirs to take. */
    public List<EntryVersion> everyEntryOf(String author) {
        return found(entries.find(eq("author", author)).sort(Sorts.ascending("occurredAt")));
    }

    /** Removes the author's entries from every timeline, their partner's too; the partner's own entries stay. */
    public void eraseEntriesOf(String author) {
        entries.deleteMany(eq("author", author));
    }

    private static List<EntryVersion> found(Iterable<Document> documents) {
        List<EntryVersion> result = new ArrayList<>();
        for (Document d : documents) {
            result.add(fromDocument(d));
        }
        return result;
    }

    /** When the author last recorded a check-in that is not retracted. */
    public Optional<Instant> lastCheckInOf(String author) {
        Document last = entries.find(and(eq("author", author), eq("kind", Entry.Kind.CHECK_IN.name()), eq("retracted", false)))
                .sort(Sorts.descending("recordedAt")).limit(1).first();
        return Optional.ofNullable(last).map(d -> d.getDate("recordedAt").toInstant());
    }

    private static Bson newestFirst() {
        return Sorts.orderBy(Sorts.descending("occurredAt"), Sorts.descending("_id"));
    }

    private static Bson sharedWithPartner() {
        return in("visibility", Arrays.stream(Visibility.values()).filter(Visibility::sharedWithPartner).map(Enum::name).toList());
    }

    private static Document toDocument(EntryVersion entry) {
        Document document = new Document("_id", entry.entryId())
                .append("coupleId", entry.coupleId())
                .append("author", entry.authorPersonId())
                .append("kind", entry.kind().name())
                .append("occurredAt", Date.from(entry.occurredAt()))
                .append("recordedAt", Date.from(entry.recordedAt()))
                .append("version", entry.version())
                .append("retracted", entry.retracted())
                .append("visibility", entry.visibility().name());
        if (entry.checkIn() != null) {
            EntryContent.CheckIn c = entry.checkIn();
            document.append("mood", c.mood())
                    .append("craving", c.cravingIntensity())
                    .append("used", c.used())
                    .append("substances", c.use().substances().stream().map(Enum::name).toList())
                    .append("usedAlone", c.use().usedAlone())
                    .append("naloxoneAtHand", c.use().naloxoneAtHand())
                    .append("triggers", c.triggers().stream().map(Enum::name).toList())
                    .append("tags", c.encryptedTags())
                    .append("boundariesKept", c.boundariesKept())
                    .append("boundariesCrossed", c.boundariesCrossed())
                    .append("note", c.encryptedNote());
        } else {
            EntryContent.WeeklyReview r = entry.review();
            document.append("review", new Document("sleepTrouble", r.sleepTrouble())
                            .append("lowMood", r.lowMood())
                            .append("craving", r.craving())
                            .append("riskySituations", r.riskySituations())
                            .append("soberSupport", r.soberSupport())
                            .append("confidence", r.confidence())
                            .append("meetings", r.meetings())
                            .append("satisfactionWithProgress", r.satisfactionWithProgress()))
                    .append("note", r.encryptedNote());
        }
        return document;
    }

    private static EntryVersion fromDocument(Document d) {
        Entry.Kind kind = Entry.Kind.valueOf(d.getString("kind"));
        Visibility visibility = Visibility.valueOf(d.getString("visibility"));
        EntryContent.CheckIn checkIn = null;
        EntryContent.WeeklyReview review = null;
        if (kind == Entry.Kind.CHECK_IN) {
            checkIn = new EntryContent.CheckIn(d.getInteger("mood"), d.getInteger("craving"), d.getBoolean("used"),
                    new EntryContent.UseDetails(d.getList("substances", String.class).stream().map(Substance::valueOf).toList(),
                            d.getBoolean("usedAlone"), d.getBoolean("naloxoneAtHand")),
                    d.getList("triggers", String.class).stream().map(Trigger::valueOf).toList(), d.getString("tags"),
                    d.getList("boundariesKept", String.class), d.getList("boundariesCrossed", String.class),
                    d.getString("note"), visibility);
        } else {
            Document r = d.get("review", Document.class);
            review = new EntryContent.WeeklyReview(r.getInteger("sleepTrouble"), r.getInteger("lowMood"), r.getInteger("craving"),
                    r.getInteger("riskySituations"), r.getInteger("soberSupport"), r.getInteger("confidence"),
                    r.getInteger("meetings"), r.getInteger("satisfactionWithProgress"), d.getString("note"), visibility);
        }
        return new EntryVersion(d.getString("_id"), d.getString("coupleId"), d.getString("author"), kind,
                d.getDate("occurredAt").toInstant(), d.getDate("recordedAt").toInstant(), d.getInteger("version"),
                d.getBoolean("retracted"), checkIn, review);
    }
}
