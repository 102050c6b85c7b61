package app.tandem.notifications.channels;

import app.tandem.notifications.NotificationsProperties;
import app.tandem.notifications.preferences.Contact;
import app.tandem.notifications.preferences.Preferences;
import app.tandem.platform.mongo.Claims;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Messages for the outside channels (e-mail, webhooks), one per notification and channel: a notification that is
 * pushed twice is queued once. Addresses are not copied here; they are read from the preferences when sent. A
 * challenge to confirm a contact is a message too; it holds its challenge's id, never its code.
 */
@Component
public class Outbox {

    public enum Channel { EMAIL, WEBHOOK }

    public enum Status { PENDING, SENT, DEAD }

    /** A message this replica holds until its claim runs out; see {@link Claims}. {@code challengeId} only for a challenge. */
    public record Message(String id, Channel channel, String notificationId, String recipientPersonId, boolean urgent,
                          Instant createdAt, int attempts, String challengeId, Claims.Claim claim) {

        public Contact contact() {
            return channel == Channel.EMAIL ? Contact.EMAIL : Contact.WEBHOOK;
        }
    }

    private final MongoCollection<Document> messages;
    private final Claims due;
    private final Clock clock;

    public Outbox(MongoDatabase database, Clock clock, NotificationsProperties properties) {
        this.messages = database.getCollection("outbound_messages");
        this.messages.createIndex(Indexes.ascending("status", "nextAttemptAt"));
        this.due = Claims.dueBy(messages, "nextAttemptAt", properties.sendLease(), clock);
        this.clock = clock;
    }

    /** Copies of a prompt for the contacts the person confirmed; an unconfirmed one gets nothing. */
    public void enqueue(String notificationId, String recipient, boolean urgent, Preferences prefs) {
        if (prefs.confirmed(Contact.EMAIL)) {
            insertOnce(notificationId + "/" + Channel.EMAIL.name(), notificationId, recipient, urgent, Channel.EMAIL, null);
        }
        if (prefs.confirmed(Contact.WEBHOOK)) {
            insertOnce(notificationId + "/" + Channel.WEBHOOK.name(), notificationId, recipient, urgent, Channel.WEBHOOK, null);
        }
    }

    /** The code of challenge {@code challengeId}, to the contact it is for. */
    public void enqueueChallenge(String recipient, Contact contact, String challengeId) {
        Channel channel = contact == Contact.EMAIL ? Channel.EMAIL : Channel.WEBHOOK;
        insertOnce("challenge:" + challengeId + "/" + channel.name(), "challenge:" + challengeId, recipient, false, channel, challengeId);
    }

    private void insertOnce(String id, String notificationId, String recipient, boolean urgent, Channel channel, String challengeId) {
        Instant now = clock.instant();
        try {
            messages.insertOne(new Document("_id", id)
                    .append("channel", channel.name())
                    .append("notificationId", notificationId)
                    .append("recipient", recipient)
                    .append("urgent", urgent)
                    .append("challenge", challengeId)
                    .append("createdAt", Date.from(now))
                    .append("status", Status.PENDING.name())
                    .append("attempts", 0)
                    .append("nextAttemptAt", Date.from(now)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** The earliest message for {@code channel} due that no replica holds, now held by this one. */
    public Optional<Message> claimNext(Channel channel) {
        return due.next(and(eq("status", Status.PENDING.name()), eq("channel", channel.name()))).map(claim -> {
            Document d = claim.item();
            return new Message(d.getString("_id"), Channel.valueOf(d.getString("channel")), d.getString("notificationId"),
                    d.getString("recipient"), d.getBoolean("urgent"), d.getDate("createdAt").toInstant(), d.getInteger("attempts"),
                    d.getString("challenge"), claim);
        });
    }

    /** Not tried now (its receiver's host is busy): back for {@code next}, with no attempt counted. */
    public void deferred(Message message, Instant next) {
        messages.updateOne(message.claim().mine(), Updates.combine(Updates.set("nextAttemptAt", Date.from(next)), Claims.release()));
    }

    public void sent(Message message) {
        messages.updateOne(message.claim().mine(), Updates.combine(Updates.set("status", Status.SENT.name()),
                Updates.set("attempts", message.attempts() + 1), Updates.set("sentAt", Date.from(clock.instant())), Claims.release()));
    }

    /**
     * Another attempt at {@code next}, or dead-lettered for an operator when {@code next} is null. {@code reason} is
     * ours (an exception's class, a status or reply code), never text from the outside system, which can carry addresses.
     */
    public void failed(Message message, String reason, Instant next) {
        messages.updateOne(message.claim().mine(), Updates.combine(
                Updates.set("status", next == null ? Status.DEAD.name() : Status.PENDING.name()),
                Updates.set("attempts", message.attempts() + 1),
                Updates.set("lastError", reason),
                Updates.set("nextAttemptAt", next == null ? null : Date.from(next)), Claims.release()));
    }

    public Status status(String notificationId, Channel channel) {
        Document d = messages.find(eq("_id", notificationId + "/" + channel.name())).first();
        return d == null ? null : Status.valueOf(d.getString("status"));
    }
}
