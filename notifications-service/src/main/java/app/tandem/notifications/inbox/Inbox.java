package app.tandem.notifications.inbox;

import app.tandem.platform.feed.NumberedFeed;
import app.tandem.platform.mongo.FormerIndexes;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

/**
 * Each person's notifications, numbered per person in delivery order so a stream can resume from the last
 * number it sent (see {@link NumberedFeed}). A notification's id is derived from the event that caused it, so a
 * redelivered event finds its notification already there and delivers nothing twice.
 */
@Component
public class Inbox {

    private final MongoCollection<Document> notifications;
    private final MongoCollection<Document> sequences;
    private final NumberedFeed feed;
    private final Clock clock;

    public Inbox(MongoDatabase database, Clock clock) {
        this.notifications = database.getCollection("inbox_notifications");
        this.sequences = database.getCollection("inbox_sequences");
        this.clock = clock;
        // a number marked unused is read and folded, so neither the unread count nor the daily cap counts it
        this.feed = new NumberedFeed(notifications, sequences, "recipient", "sequence",
                "recipient_sequence", new Document("urgent", false).append("folded", true).append("read", true));
        // a unique "recipient/sequence" text field, no longer written
        FormerIndexes.drop(notifications, Set.of(FORMER_KEY_INDEX));
    }

    private static final String FORMER_KEY_INDEX = "recipient_sequence_key";

    public record Draft(String causeEventId, String recipientPersonId, NotificationKind kind, String coupleId,
                        String title, String body, String checkInId) {
        public String notificationId() {
            return causeEventId + "/" + recipientPersonId;
        }
    }

    /** The numbered notifications that streams read and wait on. */
    public NumberedFeed feed() {
        return feed;
    }

    public boolean contains(String notificationId) {
        return feed.contains(notificationId);
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
        return append(draft, urgent, folded, clock.instant());
    }

    /**
     * Lists the draft for the recipient's next visit and nothing more: never on the stream, by e-mail or webhook,
     * and dated by its day (UTC) alone, so it tells nobody the moment it happened.
     *
     * @return whether it was listed now, rather than before
     */
    public boolean listForNextVisit(Draft draft) {
        return append(draft, false, true, clock.instant().truncatedTo(ChronoUnit.DAYS));
    }

    private boolean append(Draft draft, boolean urgent, boolean folded, Instant createdAt) {
        return feed.append(draft.recipientPersonId(), draft.notificationId(), new Document()
                .append("kind", draft.kind().name())
                .append("coupleId", draft.coupleId())
                .append("title", draft.title())
                .append("body", draft.body())
                .append("checkInId", draft.checkInId())
                .append("createdAt", Date.from(createdAt))
                .append("urgent", urgent)
                .append("folded", folded)
                .append("read", false));
    }

    /** The recipient's notifications numbered below {@code beforeSequence} (all when 0), newest first. */
    public List<InboxNotification> before(String recipient, long beforeSequence, int limit) {
        return feed.before(recipient, beforeSequence, limit).stream().map(Inbox::fromDocument).toList();
    }

    /** Every notification the recipient received, oldest first. */
    public Iterable<Document> everyNotificationOf(String recipient) {
        return notifications.find(eq("recipient", recipient)).sort(Sorts.ascending("sequence"));
    }

    /** Removes the recipient's notifications and their numbering (the feed's unique index starts with the recipient). */
    public void erase(String recipient) {
        notifications.deleteMany(eq("recipient", recipient));
        sequences.deleteOne(eq("_id", recipient));
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

    /** A notification as stored, also as a stream or a page reads it. */
    static InboxNotification fromDocument(Document d) {
        return new InboxNotification(d.getString("_id"), d.getString("recipient"), d.get("sequence", Number.class).longValue(),
                NotificationKind.valueOf(d.getString("kind")), d.getString("coupleId"), d.getString("title"),
                d.getString("body"), d.getString("checkInId"), d.getDate("createdAt").toInstant(),
                d.getBoolean("urgent", false), d.getBoolean("folded", false), d.getBoolean("read", false));
    }
}
