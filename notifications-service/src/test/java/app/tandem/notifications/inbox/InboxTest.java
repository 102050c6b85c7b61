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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person's inbox written by several threads at once (events of two couples handled side by side, the digest
 * release): every notification arrives once, each under a number of its own, and the stream reads them all.
 */
class InboxTest {

    private static MongoClient client;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        inbox = new Inbox(client.getDatabase("inbox-test-" + UUID.randomUUID()), Clock.systemUTC());
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
                    inbox.deliver(draft, false, false);
                    inbox.deliver(draft, false, false); // a redelivery changes nothing
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
}
