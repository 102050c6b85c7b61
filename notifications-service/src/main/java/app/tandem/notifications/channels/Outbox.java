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
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.nin;

/**
 * Messages for the outside channels (e-mail, webhooks), one per notification and channel: a notification that is
 * pushed twice is queued once. Addresses are not copied here; they are read from the preferences when sent. A
 * challenge to confirm a contact is a message too; it holds its challenge's id, never its code. A webhook copy
 * keeps its URL's host name, only so that a claim can pass over hosts that are busy; where it goes is read when sent.
 */
@Component
public class Outbox {

    public enum Channel { EMAIL, WEBHOOK }

    public enum Status { PENDING, SENT, DEAD }

    /** A message this replica holds until its claim runs out; see {@link Claims}. {@code challengeId} only for a challenge. */
    public record Message(String id, Channel channel, String notificationId, String recipientPersonId, boolean urgent,
                          Instant createdAt, int attempts, String challengeId, int deferrals, Claims.Claim claim) {

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
        // claims ask for one channel: without it in the index, an e-mail claim walks past every webhook due before it
        this.messages.createIndex(Indexes.ascending("status", "channel", "nextAttemptAt"));
        this.messages.createIndex(Indexes.ascending("recipient"));
        this.due = Claims.dueBy(messages, "nextAttemptAt", properties.sendLease(), clock);
        this.clock = clock;
    }

    /** Copies of a prompt for the contacts the person confirmed; an unconfirmed one gets nothing. */
    public void enqueue(String notificationId, String recipient, boolean urgent, Preferences prefs) {
        if (prefs.confirmed(Contact.EMAIL)) {
            insertOnce(notificationId + "/" + Channel.EMAIL.name(), notificationId, recipient, urgent, Channel.EMAIL, null, null);
        }
        if (prefs.confirmed(Contact.WEBHOOK)) {
            insertOnce(notificationId + "/" + Channel.WEBHOOK.name(), notificationId, recipient, urgent, Channel.WEBHOOK, null,
                    hostOf(prefs.webhookUrl()));
        }
    }

    /** The code of challenge {@code challengeId}, to the contact it is for, at {@code address}. */
    public void enqueueChallenge(String recipient, Contact contact, String challengeId, String address) {
        Channel channel = contact == Contact.EMAIL ? Channel.EMAIL : Channel.WEBHOOK;
        insertOnce("challenge:" + challengeId + "/" + channel.name(), "challenge:" + challengeId, recipient, false, channel, challengeId,
                channel == Channel.WEBHOOK ? hostOf(address) : null);
    }

    /** Every message to the recipient's own addresses, sent or not. */
    public Iterable<Document> messagesTo(String recipient) {
        return messages.find(eq("recipient", recipient));
    }

    /** Removes the recipient's messages: one not sent yet is never sent. */
    public void erase(String recipient) {
        messages.deleteMany(eq("recipient", recipient));
    }

    /** The host name a webhook URL names, as its sends are counted; null if it has none. */
    static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void insertOnce(String id, String notificationId, String recipient, boolean urgent, Channel channel, String challengeId,
                            String host) {
        Instant now = clock.instant();
        try {
            messages.insertOne(new Document("_id", id)
                    .append("channel", channel.name())
                    .append("notificationId", notificationId)
                    .append("recipient", recipient)
                    .append("urgent", urgent)
                    .append("challenge", challengeId)
                    .append("host", host)
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
        return claimNext(channel, java.util.List.of());
    }

    /** As {@link #claimNext(Channel)}, passing over messages to {@code busyHosts}, which would only be put back. */
    public Optional<Message> claimNext(Channel channel, Collection<String> busyHosts) {
        Bson filter = and(eq("status", Status.PENDING.name()), eq("channel", channel.name()));
        return due.next(busyHosts.isEmpty() ? filter : and(filter, nin("host", busyHosts))).map(claim -> {
            Document d = claim.item();
            return new Message(d.getString("_id"), Channel.valueOf(d.getString("channel")), d.getString("notificationId"),
                    d.getString("recipient"), d.getBoolean("urgent"), d.getDate("createdAt").toInstant(), d.getInteger("attempts"),
                    d.getString("challenge"), d.getInteger("deferrals", 0), claim);
        });
    }

    /** Not tried now (its receiver is busy): back for {@code next}, with no attempt counted, one more deferral. */
    public void deferred(Message message, Instant next) {
        messages.updateOne(message.claim().mine(), Updates.combine(Updates.set("nextAttemptAt", Date.from(next)),
                Updates.inc("deferrals", 1), Claims.release()));
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
                Updates.set("deferrals", 0),
                Updates.set("nextAttemptAt", next == null ? null : Date.from(next)), Claims.release()));
    }

    /** How many messages for {@code channel} are in {@code status}; by the (status, channel) index. */
    public long count(Status status, Channel channel) {
        return messages.countDocuments(and(eq("status", status.name()), eq("channel", channel.name())));
    }

    public Status status(String notificationId, Channel channel) {
        Document d = messages.find(eq("_id", notificationId + "/" + channel.name())).first();
        return d == null ? null : Status.valueOf(d.getString("status"));
    }
}
