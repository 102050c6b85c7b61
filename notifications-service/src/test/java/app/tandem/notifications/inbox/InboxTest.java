package app.tandem.notifications.inbox;

import app.tandem.platform.embedded.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person's inbox written by several threads at once (events of two couples handled side by side, the digest
 * release): every notification arrives once, each under a number of its own, and the stream reads them all; and
 * what wakes a waiting stream.
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
    void concurrentDeliveriesToOnePersonAllArriveUnderNumbersOfTheirOwn() throws Exception {
        String recipient = "person-" + UUID.randomUUID();
        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<Void>> deliveries = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            deliveries.add(() -> {
                for (int i = 0; i < each; i++) {
                    Inbox.Draft draft = new Inbox.Draft("event-" + thread + "-" + i, recipient, NotificationKind.PARTNER_CHECKED_IN,
                            "couple", "title", "body", null);
                    assertThat(inbox.deliver(draft, false, false)).isTrue();
                    assertThat(inbox.deliver(draft, false, false)).as("a redelivery changes nothing").isFalse();
                }
                return null;
            });
        }
        for (Future<Void> done : pool.invokeAll(deliveries)) {
            done.get();
        }
        pool.shutdown();

        List<InboxNotification> stream = inbox.after(recipient, 0, 10_000);
        assertThat(stream).hasSize(threads * each);
        assertThat(stream).extracting(InboxNotification::notificationId).doesNotHaveDuplicates();
        assertThat(stream).extracting(InboxNotification::sequence).doesNotHaveDuplicates().isSorted();
        assertThat(inbox.unreadCount(recipient)).isEqualTo(threads * each);
    }

    @Test
    void aStreamIsWokenByADeliveryOfAnotherInstanceOnlyWhenSomethingArrived() {
        Inbox elsewhere = new Inbox(client.getDatabase(database), Clock.systemUTC());
        String recipient = "person-" + UUID.randomUUID();
        inbox.watch(recipient);
        try {
            CompletableFuture<Void> woken = inbox.nextDelivery(recipient);
            inbox.wakeOnDeliveriesElsewhere();
            assertThat(woken).isNotDone();

            elsewhere.deliver(new Inbox.Draft("event-elsewhere", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null),
                    false, false);
            assertThat(woken).isNotDone(); // another instance's delivery is only seen by the poll
            inbox.wakeOnDeliveriesElsewhere();
            assertThat(woken).isDone();

            CompletableFuture<Void> next = inbox.nextDelivery(recipient);
            inbox.wakeOnDeliveriesElsewhere();
            assertThat(next).as("nothing new arrived").isNotDone();
            inbox.deliver(new Inbox.Draft("event-here", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null), false, false);
            assertThat(next).as("a delivery here wakes at once").isDone();
        } finally {
            inbox.unwatch(recipient);
        }
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
}
