package app.tandem.notifications.inbox;

import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A person's inbox in their export and gone after their erasure, the partner's untouched. */
class InboxPersonalDataTest {

    private static MongoClient client;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        inbox = new Inbox(client.getDatabase("inbox-personal-data-test-" + UUID.randomUUID()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void exportsWhatThePersonReceivedAndErasesItTwiceAlike() {
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        inbox.deliver(new Inbox.Draft("checked-in", alex, NotificationKind.PARTNER_CHECKED_IN, "couple", "Your partner checked in",
                "They shared a check-in with you.", "entry-1"), false, false);
        inbox.deliver(new Inbox.Draft("support", alex, NotificationKind.SUPPORT_REQUESTED, "couple", "t", "b", null), true, false);
        inbox.deliver(new Inbox.Draft("checked-in-2", sam, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", "entry-2"), false, false);
        InboxPersonalData data = new InboxPersonalData(inbox);

        List<String> exported = new ArrayList<>();
        List<Map<String, Object>> fields = new ArrayList<>();
        data.export(alex, (kind, id, item) -> {
            exported.add(kind + " " + id);
            fields.add(item);
        });
        assertThat(exported).containsExactly("notification checked-in/" + alex, "notification support/" + alex);
        assertThat(fields.get(0)).containsEntry("title", "Your partner checked in").containsEntry("checkInId", "entry-1")
                .doesNotContainKey("recipient");
        assertThat(((Number) fields.get(0).get("sequence")).longValue()).isEqualTo(1);
        assertThat(fields.get(0).get("createdAt")).isInstanceOf(String.class);

        data.erase(alex);
        data.erase(alex);
        assertThat(inbox.before(alex, 0, 10)).isEmpty();
        assertThat(inbox.unreadCount(alex)).isZero();
        assertThat(inbox.before(sam, 0, 10)).extracting(InboxNotification::notificationId).containsExactly("checked-in-2/" + sam);
        // numbering starts again for a person of the same id, as for someone new
        inbox.deliver(new Inbox.Draft("later", alex, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null), false, false);
        assertThat(inbox.before(alex, 0, 10)).extracting(InboxNotification::sequence).containsExactly(1L);
    }
}
