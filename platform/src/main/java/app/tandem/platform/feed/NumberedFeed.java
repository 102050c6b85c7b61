package app.tandem.platform.feed;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

/**
 * Items numbered per owner in append order, so a stream can resume from the last number it sent. An item's id is
 * derived from what caused it, so appending it again stores nothing twice. Every number taken ends up holding an item
 * or marked unused, so a stream can wait at a missing number instead of skipping it.
 *
 * <p>Numbers come from a counter per owner (an atomic {@code $inc} in {@code counters}); the unique (owner, number)
 * index keeps them unique. The caller's fields are stored beside {@code _id}, the owner and the number.
 */
public final class NumberedFeed {

    private static final String UNUSED_ID = "unused:";
    private static final String UNUSED = "unused";
    private static final String LAST = "last";
    private static final int MAX_NUMBER_ATTEMPTS = 20;
    /** Watched owners asked for in one $in query. */
    private static final int WINDOW = 128;
    /** What the feeds made here call the number, for {@link #number}. */
    private static final Set<String> SEQUENCE_FIELDS = new CopyOnWriteArraySet<>();

    private final MongoCollection<Document> items;
    private final MongoCollection<Document> counters;
    private final String ownerField;
    private final String sequenceField;
    /** What a number marked unused holds besides its id, owner and number. */
    private final Document unusedMarker;
    /** Owners with a stream open in this instance, each with what wakes their streams, and the highest number each was last known to have. */
    private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    /** Creates the unique ({@code ownerField}, {@code sequenceField}) index named {@code indexName}. */
    public NumberedFeed(MongoCollection<Document> items, MongoCollection<Document> counters, String ownerField,
                        String sequenceField, String indexName) {
        this(items, counters, ownerField, sequenceField, indexName, new Document());
    }

    /**
     * @param unusedFields stored on every number marked unused as well, so queries over the caller's own fields
     *                     (unread, counted) pass such numbers over
     */
    public NumberedFeed(MongoCollection<Document> items, MongoCollection<Document> counters, String ownerField,
                        String sequenceField, String indexName, Document unusedFields) {
        this.items = items;
        this.counters = counters;
        this.ownerField = ownerField;
        this.sequenceField = sequenceField;
        SEQUENCE_FIELDS.add(sequenceField);
        this.unusedMarker = new Document(UNUSED, true);
        unusedMarker.putAll(unusedFields);
        // an owner's items by number: what keeps numbers unique, and how streams and pages read them
        items.createIndex(Indexes.ascending(ownerField, sequenceField), new IndexOptions().unique(true).name(indexName));
    }

    /**
     * Stores the item with id under the owner's next number, and wakes the owner's streams.
     *
     * @return false when an item with that id is there already (then the number taken is marked unused)
     */
    public boolean append(String owner, String id, Document fields) {
        for (String reserved : List.of("_id", ownerField, sequenceField, UNUSED)) {
            if (fields.containsKey(reserved)) {
                throw new IllegalArgumentException("the feed sets " + reserved + " itself");
            }
        }
        for (int attempt = 1; ; attempt++) {
            long number = nextNumber(owner);
            if (insert(owner, number, id, fields)) {
                wake(owner);
                return true;
            }
            if (contains(id)) {
                // appended before, or concurrently, by the same cause: the number this append took is marked unused,
                // so no stream waits for it
                markUnused(owner, number);
                return false;
            }
            if (attempt == MAX_NUMBER_ATTEMPTS) {
                throw new IllegalStateException("no free number for an item after " + MAX_NUMBER_ATTEMPTS + " attempts");
            }
            // the number is taken: marked unused by a stream that waited for it too long before this stored it
        }
    }

    public boolean contains(String id) {
        return items.find(eq("_id", id)).first() != null;
    }

    /**
     * Claims a number for no item, so streams move past it. An append that took the number and has not stored it yet
     * then fails on the unique key and takes the next number: it comes later, but it comes.
     *
     * @return false when the number was stored meanwhile
     */
    public boolean markUnused(String owner, long number) {
        if (!insert(owner, number, UNUSED_ID + owner + "/" + number, unusedMarker)) {
            return false;
        }
        wake(owner);
        return true;
    }

    /** @return false when the id or the number is stored already */
    private boolean insert(String owner, long number, String id, Document fields) {
        Document item = new Document("_id", id).append(ownerField, owner).append(sequenceField, number);
        item.putAll(fields);
        try {
            items.insertOne(item);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
        // streams here are woken directly; the poll for other instances' appends need not wake them again
        lastSeen.merge(owner, number, Math::max);
        return true;
    }

    private long nextNumber(String owner) {
        Document counter = counters.findOneAndUpdate(eq("_id", owner), Updates.inc(LAST, 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return counter.get(LAST, Number.class).longValue();
    }

    /**
     * What a stream can send after {@code cursor}: the items numbered in an unbroken run from there, at most
     * {@code limit} numbers.
     *
     * @param items   the run's items, oldest first, without numbers marked unused
     * @param through the last number of the run: where the stream's cursor moves
     * @param missing the first number after the run while a higher one is stored, 0 when none: an append that took
     *                it is still storing it, or never will (see {@link #markUnused})
     */
    public record Run(List<Document> items, long through, long missing) {
    }

    public Run after(String owner, long cursor, int limit) {
        long last = lastNumber(owner);
        lastSeen.merge(owner, last, Math::max);
        return run(owner, cursor, limit, last);
    }

    /**
     * As {@link #after}, up to the highest number this instance knows of: what it stored itself, and what the poll
     * for other instances' appends found. A stream woken by an append reads no counter, since its wake says how far
     * to look.
     */
    public Run afterLatestKnown(String owner, long cursor, int limit) {
        Long known = lastSeen.get(owner);
        return known == null ? after(owner, cursor, limit) : run(owner, cursor, limit, known);
    }

    private Run run(String owner, long cursor, int limit, long last) {
        long to = Math.min(last, cursor + limit);
        List<Document> run = new ArrayList<>();
        long through = cursor;
        if (to <= cursor) {
            return new Run(run, through, 0);
        }
        for (Document d : items.find(and(eq(ownerField, owner), gt(sequenceField, cursor), lte(sequenceField, to)))
                .sort(Sorts.ascending(sequenceField))) {
            long number = numberOf(d);
            if (number != through + 1) {
                return new Run(run, through, through + 1);
            }
            through = number;
            if (!d.getBoolean(UNUSED, false)) {
                run.add(d);
            }
        }
        return new Run(run, through, 0);
    }

    /** The owner's items numbered below {@code beforeNumber} (all when 0), newest first, without numbers marked unused. */
    public List<Document> before(String owner, long beforeNumber, int limit) {
        Bson mine = beforeNumber > 0 ? and(eq(ownerField, owner), lt(sequenceField, beforeNumber), ne(UNUSED, true))
                : and(eq(ownerField, owner), ne(UNUSED, true));
        List<Document> result = new ArrayList<>();
        if (limit <= 0) {
            return result;
        }
        for (Document d : items.find(mine).sort(Sorts.descending(sequenceField)).limit(limit)) {
            result.add(d);
        }
        return result;
    }

    /** The highest number handed out to the owner so far, 0 before the first. */
    public long lastNumber(String owner) {
        Document counter = counters.find(eq("_id", owner)).first();
        return counter == null ? 0 : counter.get(LAST, Number.class).longValue();
    }

    /**
     * The item's number: its field named as the number of a feed made in this JVM. Without the feed at hand, as in a
     * stream's {@code toMessage}; a service whose feeds name the number differently can ask {@link #numberOf}.
     *
     * @throws IllegalArgumentException when the item has no such field, or more than one
     */
    public static long number(Document item) {
        Long found = null;
        for (String field : SEQUENCE_FIELDS) {
            if (item.get(field) instanceof Number number) {
                if (found != null) {
                    throw new IllegalArgumentException("an item with more than one number field: " + SEQUENCE_FIELDS);
                }
                found = number.longValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("not an item of a numbered feed: none of " + SEQUENCE_FIELDS + " is a number");
        }
        return found;
    }

    /** The number of an item of this feed. */
    public long numberOf(Document item) {
        return item.get(sequenceField, Number.class).longValue();
    }

    /**
     * Calls {@code woken} after each append to {@code owner} until {@link #unwatch}: at once for an append in this
     * instance, within the poll interval for one made by another instance (see {@link #wakeOnAppendsElsewhere}).
     * It may be called from any thread, also while the stream reads, so it should only mark the stream due.
     */
    public void watch(String owner, Runnable woken) {
        watchers.compute(owner, (o, streams) -> {
            Set<Runnable> open = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            open.add(woken);
            return open;
        });
    }

    public void unwatch(String owner, Runnable woken) {
        watchers.computeIfPresent(owner, (o, streams) -> streams.remove(woken) && streams.isEmpty() ? null : streams);
    }

    /**
     * Wakes the streams whose owner got an item from another instance of the service. One query per window of
     * watched owners, however many streams are open, instead of a poll per stream.
     */
    public void wakeOnAppendsElsewhere() {
        List<String> owners = new ArrayList<>(watchers.keySet());
        for (int from = 0; from < owners.size(); from += WINDOW) {
            for (Document counter : counters.find(in("_id", owners.subList(from, Math.min(from + WINDOW, owners.size()))))) {
                String owner = counter.getString("_id");
                long last = counter.get(LAST, Number.class).longValue();
                Long seen = lastSeen.get(owner);
                lastSeen.merge(owner, last, Math::max); // never below a number stored here since the counter was read
                if (seen == null || seen < last) {
                    wake(owner);
                }
            }
        }
        lastSeen.keySet().retainAll(watchers.keySet());
    }

    private void wake(String owner) {
        Set<Runnable> streams = watchers.get(owner);
        if (streams != null) {
            streams.forEach(Runnable::run);
        }
    }
}
