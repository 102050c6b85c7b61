package app.tandem.notifications.inbox;

import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person's inbox written by several threads at once (events of two couples handled side by side, the digest
 * release): every notification arrives once, each under a number of its own, and the stream reads them all; what
 * a stream may send while a number is still being stored; and what wakes a waiting stream.
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

        Inbox.Run run = inbox.after(recipient, 0, 10_000);
        assertThat(run.missing()).as("every number taken holds a notification or is marked unused").isZero();
        List<InboxNotification> stream = run.notifications();
        assertThat(stream).hasSize(threads * each);
        assertThat(stream).extracting(InboxNotification::notificationId).doesNotHaveDuplicates();
        assertThat(stream).extracting(InboxNotification::sequence).doesNotHaveDuplicates().isSorted();
        assertThat(inbox.unreadCount(recipient)).isEqualTo(threads * each);
    }

    @Test
    void aStreamIsWokenByADeliveryOfAnotherInstanceOnlyWhenSomethingArrived() {
        Inbox elsewhere = new Inbox(client.getDatabase(database), Clock.systemUTC());
        String recipient = "person-" + UUID.randomUUID();
        AtomicInteger woken = new AtomicInteger();
        Runnable stream = woken::incrementAndGet;
        inbox.watch(recipient, stream);
        try {
            inbox.wakeOnDeliveriesElsewhere();
            assertThat(woken).hasValue(0);

            elsewhere.deliver(new Inbox.Draft("event-elsewhere", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null),
                    false, false);
            assertThat(woken).hasValue(0); // another instance's delivery is only seen by the poll
            inbox.wakeOnDeliveriesElsewhere();
            assertThat(woken).hasValue(1);

            inbox.wakeOnDeliveriesElsewhere();
            assertThat(woken).as("nothing new arrived").hasValue(1);
            inbox.deliver(new Inbox.Draft("event-here", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null), false, false);
            assertThat(woken).as("a delivery here wakes at once").hasValue(2);
        } finally {
            inbox.unwatch(recipient, stream);
        }
        inbox.deliver(new Inbox.Draft("event-after", recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null), false, false);
        assertThat(woken).as("a closed stream is not woken").hasValue(2);
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
    void aRedeliveryLeavesNoNumberForAStreamToWaitFor() {
        String recipient = "person-" + UUID.randomUUID();
        Inbox.Draft first = draft("event-first", recipient);
        Inbox.Draft second = draft("event-second", recipient);
        inbox.deliver(first, false, false);
        assertThat(inbox.deliver(first, false, false)).isFalse();
        inbox.deliver(second, false, false);

        Inbox.Run run = inbox.after(recipient, 0, 100);
        assertThat(run.notifications()).extracting(InboxNotification::notificationId)
                .containsExactly(first.notificationId(), second.notificationId());
        assertThat(run.through()).as("the redelivery's number is passed over").isEqualTo(3);
        assertThat(run.missing()).isZero();
    }

    @Test
    void aNumberTakenButNotStoredHoldsTheRunUntilMarkedUnusedAndItsDeliveryThenTakesTheNext() {
        String recipient = "person-" + UUID.randomUUID();
        // a delivery took number 1 and has not stored its notification yet
        client.getDatabase(database).getCollection("inbox_sequences").updateOne(eq("_id", recipient), Updates.inc("last", 1L),
                new UpdateOptions().upsert(true));
        Inbox.Draft higher = draft("event-higher", recipient);
        inbox.deliver(higher, false, false);

        Inbox.Run held = inbox.after(recipient, 0, 100);
        assertThat(held.notifications()).as("nothing is sent past the missing number").isEmpty();
        assertThat(held.through()).isZero();
        assertThat(held.missing()).isEqualTo(1);

        assertThat(inbox.markUnused(recipient, 1)).isTrue();
        Inbox.Run moved = inbox.after(recipient, 0, 100);
        assertThat(moved.notifications()).extracting(InboxNotification::notificationId).containsExactly(higher.notificationId());
        assertThat(moved.through()).isEqualTo(2);
        assertThat(moved.missing()).isZero();

        // the late delivery cannot store under the number marked unused, so it takes the next one
        Inbox.Draft late = draft("event-late", recipient);
        assertThat(inbox.deliver(late, false, false)).isTrue();
        assertThat(inbox.markUnused(recipient, 1)).as("marked once").isFalse();
        assertThat(inbox.after(recipient, 2, 100).notifications()).extracting(InboxNotification::notificationId)
                .containsExactly(late.notificationId());
        assertThat(inbox.before(recipient, 0, 10)).extracting(InboxNotification::notificationId)
                .containsExactly(late.notificationId(), higher.notificationId());
        assertThat(inbox.unreadCount(recipient)).isEqualTo(2);
        assertThat(inbox.pushedSince(recipient, Instant.EPOCH)).isEqualTo(2);
    }

    @Test
    void aLongInboxIsReadInRunsAndPagesWithoutTheNumbersMarkedUnusedOrAnotherPersonsNotifications() {
        String recipient = "person-" + UUID.randomUUID();
        String other = "person-" + UUID.randomUUID();
        for (int n = 1; n <= 300; n++) {
            inbox.deliver(draft("event-" + n, recipient), false, false);
            inbox.deliver(draft("event-" + n, other), false, false);
            if (n % 50 == 0) {
                inbox.deliver(draft("event-" + n, recipient), false, false); // a redelivery: its number is marked unused
            }
        }
        Inbox.Run run = inbox.after(recipient, 0, 500);
        assertThat(run.notifications()).hasSize(300).extracting(InboxNotification::recipientPersonId).containsOnly(recipient);
        assertThat(run.through()).isEqualTo(306);
        assertThat(run.missing()).isZero();
        Inbox.Run part = inbox.after(recipient, 40, 20);
        assertThat(part.through()).isEqualTo(60);
        assertThat(part.notifications()).hasSize(19); // number 51 is the redelivery's

        List<InboxNotification> page = inbox.before(recipient, 0, 130);
        assertThat(page).hasSize(130).extracting(InboxNotification::sequence).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(page.get(0).sequence()).as("306 is the last redelivery's").isEqualTo(305);
        List<InboxNotification> next = inbox.before(recipient, page.get(page.size() - 1).sequence(), 1000);
        assertThat(next).hasSize(170);
        assertThat(next.get(next.size() - 1).sequence()).isEqualTo(1);
        assertThat(inbox.before(recipient, 1, 10)).isEmpty();
    }

    private static Inbox.Draft draft(String causeEventId, String recipient) {
        return new Inbox.Draft(causeEventId, recipient, NotificationKind.PARTNER_CHECKED_IN, "couple", "t", "b", null);
    }
}
