package app.tandem.notifications.inbox;

import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.UUID;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the inbox adds to its numbered feed: pushed and folded notifications, numbers marked unused that no page, unread
 * count or daily cap counts, and notifications stored as the inbox has always stored them.
 */
class InboxTest {

    private static MongoClient client;
    private static final String database = "inbox-test-" + UUID.randomUUID();
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        inbox = new Inbox(client.getDatabase(database), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void tellsAPushedNotificationFromAFoldedOne() {
        String recipient = "person-" + UUID.randomUUID();
        Inbox.Draft pushed = new Inbox.Draft("event-pushed", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null);
        Inbox.Draft folded = new Inbox.Draft("event-folded", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null);
        inbox.deliver(pushed, false, false);
        inbox.deliver(folded, false, true);

        assertThat(inbox.pushed(pushed.notificationId())).isTrue();
        assertThat(inbox.pushed(folded.notificationId())).isFalse();
        assertThat(inbox.pushed("never-delivered/" + recipient)).isFalse();
    }

    @Test
    void aRedeliveryDeliversNothingTwice() {
        String recipient = "person-" + UUID.randomUUID();
        Inbox.Draft first = draft("event-first", recipient);
        assertThat(inbox.deliver(first, false, false)).isTrue();
        assertThat(inbox.deliver(first, false, false)).isFalse();
        assertThat(inbox.contains(first.notificationId())).isTrue();
        assertThat(inbox.before(recipient, 0, 10)).extracting(InboxNotification::notificationId).containsExactly(first.notificationId());
        assertThat(inbox.unreadCount(recipient)).isEqualTo(1);
    }

    @Test
    void aNumberMarkedUnusedIsNeitherListedNorCountedAsUnreadOrPushed() {
        String recipient = "person-" + UUID.randomUUID();
        // a delivery took number 1 and has not stored its notification yet
        client.getDatabase(database).getCollection("inbox_sequences").updateOne(eq("_id", recipient), Updates.inc("last", 1L),
                new UpdateOptions().upsert(true));
        Inbox.Draft higher = draft("event-higher", recipient);
        inbox.deliver(higher, false, false);
        assertThat(inbox.feed().after(recipient, 0, 100).missing()).isEqualTo(1);
        assertThat(inbox.feed().markUnused(recipient, 1)).isTrue();

        Inbox.Draft late = draft("event-late", recipient);
        assertThat(inbox.deliver(late, false, false)).isTrue();
        assertThat(inbox.feed().after(recipient, 0, 100).items()).extracting(Inbox::fromDocument)
                .extracting(InboxNotification::notificationId).containsExactly(higher.notificationId(), late.notificationId());
        assertThat(inbox.before(recipient, 0, 10)).extracting(InboxNotification::notificationId)
                .containsExactly(late.notificationId(), higher.notificationId());
        assertThat(inbox.unreadCount(recipient)).isEqualTo(2);
        assertThat(inbox.pushedSince(recipient, Instant.EPOCH)).isEqualTo(2);
        inbox.markRead(recipient, 3);
        assertThat(inbox.unreadCount(recipient)).isZero();
    }

    @Test
    void notificationsAndNumbersMarkedUnusedAreStoredAsTheInboxHasAlwaysStoredThem() {
        String recipient = "person-" + UUID.randomUUID();
        MongoCollection<Document> stored = client.getDatabase(database).getCollection("inbox_notifications");
        // an inbox written before: a notification, then a number marked unused
        stored.insertOne(new Document("_id", "event-old/" + recipient).append("recipient", recipient).append("sequence", 1L)
                .append("kind", "PARTNER_CHECKED_IN").append("coupleId", "couple").append("title", "t").append("body", "b")
                .append("checkInId", null).append("createdAt", new Date()).append("urgent", false).append("folded", false)
                .append("read", false));
        stored.insertOne(new Document("_id", "unused:" + recipient + "/2").append("recipient", recipient).append("sequence", 2L)
                .append("unused", true).append("urgent", false).append("folded", true).append("read", true));
        client.getDatabase(database).getCollection("inbox_sequences").insertOne(new Document("_id", recipient).append("last", 2L));

        Inbox.Draft draft = draft("event-new", recipient);
        assertThat(inbox.deliver(draft, true, false)).isTrue();
        assertThat(inbox.deliver(draft, true, false)).isFalse();

        assertThat(inbox.before(recipient, 0, 10)).extracting(InboxNotification::notificationId, InboxNotification::sequence)
                .containsExactly(tuple(draft.notificationId(), 3L), tuple("event-old/" + recipient, 1L));
        Document delivered = stored.find(eq("_id", draft.notificationId())).first();
        assertThat(new ArrayList<>(delivered.keySet())).containsExactly("_id", "recipient", "sequence", "kind", "coupleId",
                "title", "body", "checkInId", "createdAt", "urgent", "folded", "read");
        assertThat(delivered).containsEntry("recipient", recipient).containsEntry("sequence", 3L).containsEntry("urgent", true);
        Document marked = stored.find(eq("_id", "unused:" + recipient + "/4")).first();
        assertThat(marked).as("the redelivery's number").isEqualTo(new Document("_id", "unused:" + recipient + "/4")
                .append("recipient", recipient).append("sequence", 4L).append("unused", true).append("urgent", false)
                .append("folded", true).append("read", true));
        assertThat(new ArrayList<>(marked.keySet())).containsExactly("_id", "recipient", "sequence", "unused", "urgent", "folded", "read");
        assertThat(stored.listIndexes().map(index -> index.getString("name")).into(new ArrayList<>())).contains("recipient_sequence");
    }

    private static Inbox.Draft draft(String causeEventId, String recipient) {
        return new Inbox.Draft(causeEventId, recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null);
    }
}
