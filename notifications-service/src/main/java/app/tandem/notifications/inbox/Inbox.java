package app.tandem.notifications.inbox;

import app.tandem.platform.mongo.FormerIndexes;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

/**
 * Each person's notifications, numbered per person in delivery order so a stream can resume from the last
 * number it sent. A notification's id is derived from the event that caused it, so a redelivered event
 * finds its notification already there and delivers nothing twice. Every number taken ends up holding a
 * notification or marked unused, so a stream can wait at a missing number instead of skipping it.
 */
@Component
public class Inbox {

    private final MongoCollection<Document> notifications;
    private final MongoCollection<Document> sequences;
    private final Clock clock;
    /** People with a stream open in this instance, each with what wakes their streams, and the highest number each was last known to have. */
    private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    public Inbox(MongoDatabase database, Clock clock) {
        this.notifications = database.getCollection("inbox_notifications");
        this.sequences = database.getCollection("inbox_sequences");
        this.clock = clock;
        // a person's notifications by number: what keeps numbers unique, and how streams and pages read them
        notifications.createIndex(Indexes.ascending(RECIPIENT, SEQUENCE), new IndexOptions().unique(true).name("recipient_sequence"));
        // a unique "recipient/sequence" text field, no longer written
        FormerIndexes.drop(notifications, Set.of(FORMER_KEY_INDEX));
    }

    private static final String RECIPIENT = "recipient";
    private static final String SEQUENCE = "sequence";
    private static final String FORMER_KEY_INDEX = "recipient_sequence_key";
    private static final String UNUSED = "unused:";
    private static final String UNUSED_FIELD = "unused";
    private static final int MAX_NUMBER_ATTEMPTS = 20;
    /** Watched people asked for in one $in query. */
    private static final int WINDOW = 128;

    public record Draft(String causeEventId, String recipientPersonId, NotificationKind kind, String coupleId,
                        String title, String body, String checkInId) {
        public String notificationId() {
            return causeEventId + "/" + recipientPersonId;
        }
    }

    public boolean contains(String notificationId) {
        return notifications.find(eq("_id", notificationId)).first() != null;
    }

    /** Whether the notification is in the inbox and was pushed, not folded into a digest. */
    public boolean pushed(String notificationId) {
        Document stored = notifications.find(eq("_id", notificationId)).projection(new Document("folded", 1)).first();
        return stored != null && !stored.getBoolean("folded", false);
    }

    /**
     * Puts the draft into the inbox unless the event that caused it already did. A folded draft is listed but not
     * pushed on the stream: a digest stands for it.
     *
     * @return whether it was delivered now, rather than before
     */
    public boolean deliver(Draft draft, boolean urgent, boolean folded) {
        String recipient = draft.recipientPersonId();
        for (int attempt = 1; ; attempt++) {
            long sequence = nextSequence(recipient);
            if (store(draft, sequence, urgent, folded)) {
                wake(recipient);
                return true;
            }
            if (contains(draft.notificationId())) {
                // delivered before, or concurrently, by the same event: the number this delivery took is marked
                // unused, so no stream waits for it
                markUnused(recipient, sequence);
                return false;
            }
            if (attempt == MAX_NUMBER_ATTEMPTS) {
                throw new IllegalStateException("no free number for a notification after " + MAX_NUMBER_ATTEMPTS + " attempts");
            }
            // the number is taken: marked unused by a stream that waited for it too long before this stored it
        }
    }

    /** @return false when the notification or its number is stored already */
    private boolean store(Draft draft, long sequence, boolean urgent, boolean folded) {
        try {
            notifications.insertOne(new Document("_id", draft.notificationId())
                    .append(RECIPIENT, draft.recipientPersonId())
                    .append(SEQUENCE, sequence)
                    .append("kind", draft.kind().name())
                    .append("coupleId", draft.coupleId())
                    .append("title", draft.title())
                    .append("body", draft.body())
                    .append("checkInId", draft.checkInId())
                    .append("createdAt", Date.from(clock.instant()))
                    .append("urgent", urgent)
                    .append("folded", folded)
                    .append("read", false));
            // streams here are woken directly; the poll for other instances' deliveries need not wake them again
            lastSeen.merge(draft.recipientPersonId(), sequence, Math::max);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Claims a number for no notification, so streams move past it. A delivery that took the number and has not
     * stored it yet then fails on the unique key and takes the next number: it comes later, but it comes.
     *
     * @return false when the number was stored meanwhile
     */
    public boolean markUnused(String recipient, long sequence) {
        try {
            // read and folded, so neither the unread count nor the daily cap counts it
            notifications.insertOne(new Document("_id", UNUSED + recipient + "/" + sequence)
                    .append(RECIPIENT, recipient)
                    .append(SEQUENCE, sequence)
                    .append(UNUSED_FIELD, true)
                    .append("urgent", false)
                    .append("folded", true)
                    .append("read", true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
        lastSeen.merge(recipient, sequence, Math::max);
        wake(recipient);
        return true;
    }

    private long nextSequence(String recipient) {
        Document counter = sequences.findOneAndUpdate(eq("_id", recipient), Updates.inc("last", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return counter.get("last", Number.class).longValue();
    }

    /**
     * What a stream can send after {@code afterSequence}: the notifications numbered in an unbroken run from there,
     * at most {@code limit} numbers.
     *
     * @param notifications the run's notifications, oldest first, without numbers marked unused
     * @param through       the last number of the run: where the stream's cursor moves
     * @param missing       the first number after the run while a higher one is stored, 0 when none: a delivery
     *                      that took it is still storing it, or never will (see {@link #markUnused})
     */
    public record Run(List<InboxNotification> notifications, long through, long missing) {
    }

    public Run after(String recipient, long afterSequence, int limit) {
        long last = lastNumber(recipient);
        lastSeen.merge(recipient, last, Math::max);
        return run(recipient, afterSequence, limit, last);
    }

    /**
     * As {@link #after}, up to the highest number this instance knows of: what it stored itself, and what the poll
     * for other instances' deliveries found. A stream woken by a delivery reads no counter, since its wake says
     * how far to look.
     */
    public Run afterLatestKnown(String recipient, long afterSequence, int limit) {
        Long known = lastSeen.get(recipient);
        return known == null ? after(recipient, afterSequence, limit) : run(recipient, afterSequence, limit, known);
    }

    private Run run(String recipient, long afterSequence, int limit, long last) {
        long to = Math.min(last, afterSequence + limit);
        List<InboxNotification> run = new ArrayList<>();
        long through = afterSequence;
        if (to <= afterSequence) {
            return new Run(run, through, 0);
        }
        for (Document d : notifications.find(and(eq(RECIPIENT, recipient), gt(SEQUENCE, afterSequence), lte(SEQUENCE, to)))
                .sort(Sorts.ascending(SEQUENCE))) {
            long sequence = d.get(SEQUENCE, Number.class).longValue();
            if (sequence != through + 1) {
                return new Run(run, through, through + 1);
            }
            through = sequence;
            if (!d.getBoolean(UNUSED_FIELD, false)) {
                run.add(fromDocument(d));
            }
        }
        return new Run(run, through, 0);
    }

    /** The recipient's notifications numbered below {@code beforeSequence} (all when 0), newest first. */
    public List<InboxNotification> before(String recipient, long beforeSequence, int limit) {
        Bson mine = beforeSequence > 0 ? and(eq(RECIPIENT, recipient), lt(SEQUENCE, beforeSequence), ne(UNUSED_FIELD, true))
                : and(eq(RECIPIENT, recipient), ne(UNUSED_FIELD, true));
        List<InboxNotification> result = new ArrayList<>();
        if (limit <= 0) {
            return result;
        }
        for (Document d : notifications.find(mine).sort(Sorts.descending(SEQUENCE)).limit(limit)) {
            result.add(fromDocument(d));
        }
        return result;
    }

    /** The highest number handed out to the recipient so far, 0 before the first. */
    private long lastNumber(String recipient) {
        Document counter = sequences.find(eq("_id", recipient)).first();
        return counter == null ? 0 : counter.get("last", Number.class).longValue();
    }

    public long unreadCount(String recipient) {
        return notifications.countDocuments(and(eq("recipient", recipient), eq("read", false)));
    }

    public void markRead(String recipient, long upToSequence) {
        notifications.updateMany(and(eq("recipient", recipient), lte("sequence", upToSequence), eq("read", false)), Updates.set("read", true));
    }

    /** Non-urgent prompts pushed (not folded, not digests) to the recipient since {@code since}: what the daily cap counts. */
    public long pushedSince(String recipient, Instant since) {
        return notifications.countDocuments(and(eq("recipient", recipient), eq("urgent", false), eq("folded", false),
                ne("kind", NotificationKind.DIGEST.name()), gte("createdAt", Date.from(since))));
    }

    private static InboxNotification fromDocument(Document d) {
        return new InboxNotification(d.getString("_id"), d.getString("recipient"), d.get("sequence", Number.class).longValue(),
                NotificationKind.valueOf(d.getString("kind")), d.getString("coupleId"), d.getString("title"),
                d.getString("body"), d.getString("checkInId"), d.getDate("createdAt").toInstant(),
                d.getBoolean("urgent", false), d.getBoolean("folded", false), d.getBoolean("read", false));
    }

    /**
     * Calls {@code onDelivery} after each delivery to {@code recipient} until {@link #unwatch}: at once for a delivery
     * in this instance, within the poll interval for one made by another instance (see {@link #wakeOnDeliveriesElsewhere}).
     * It may be called from any thread, also while the stream reads, so it should only mark the stream due.
     */
    public void watch(String recipient, Runnable onDelivery) {
        watchers.compute(recipient, (r, streams) -> {
            Set<Runnable> open = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            open.add(onDelivery);
            return open;
        });
    }

    public void unwatch(String recipient, Runnable onDelivery) {
        watchers.computeIfPresent(recipient, (r, streams) -> streams.remove(onDelivery) && streams.isEmpty() ? null : streams);
    }

    /**
     * Wakes the streams whose person got a notification from another instance of the service. One query per
     * window of watched people, however many streams are open, instead of a poll per stream.
     */
    public void wakeOnDeliveriesElsewhere() {
        List<String> recipients = new ArrayList<>(watchers.keySet());
        for (int from = 0; from < recipients.size(); from += WINDOW) {
            for (Document counter : sequences.find(in("_id", recipients.subList(from, Math.min(from + WINDOW, recipients.size()))))) {
                String recipient = counter.getString("_id");
                long last = counter.get("last", Number.class).longValue();
                Long seen = lastSeen.get(recipient);
                lastSeen.merge(recipient, last, Math::max); // never below a number stored here since the counter was read
                if (seen == null || seen < last) {
                    wake(recipient);
                }
            }
        }
        lastSeen.keySet().retainAll(watchers.keySet());
    }

    private void wake(String recipient) {
        Set<Runnable> streams = watchers.get(recipient);
        if (streams != null) {
            streams.forEach(Runnable::run);
        }
    }
}
