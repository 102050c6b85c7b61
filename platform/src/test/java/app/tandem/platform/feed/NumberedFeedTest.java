package app.tandem.platform.feed;

import app.tandem.devservers.DevServers;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One owner's feed appended to by several threads at once: every item arrives once, each under a number of its own,
 * and a stream reads them all; what a stream may read while a number is still being stored; and what wakes a waiting
 * stream.
 */
class NumberedFeedTest {

    private static MongoClient client;
    private static MongoDatabase database;
    private static NumberedFeed feed;

    @BeforeAll
    static void start() {
        client = MongoClients.create(DevServers.shared().mongoUri());
        database = client.getDatabase("feed-test-" + UUID.randomUUID());
        feed = feedOf(database);
    }

    private static NumberedFeed feedOf(MongoDatabase database) {
        return new NumberedFeed(database.getCollection("entries"), database.getCollection("entry_numbers"), "owner", "number", "owner_number");
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void concurrentAppendsForOneOwnerAllArriveUnderNumbersOfTheirOwn() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<Void>> appends = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            appends.add(() -> {
                for (int i = 0; i < each; i++) {
                    String id = "item-" + thread + "-" + i;
                    assertThat(feed.append(owner, id, fields(id))).isTrue();
                    assertThat(feed.append(owner, id, fields(id))).as("appending again changes nothing").isFalse();
                }
                return null;
            });
        }
        for (Future<Void> done : pool.invokeAll(appends)) {
            done.get();
        }
        pool.shutdown();

        NumberedFeed.Run run = feed.after(owner, 0, 10_000);
        assertThat(run.missing()).as("every number taken holds an item or is marked unused").isZero();
        assertThat(run.through()).isEqualTo(2L * threads * each);
        assertThat(run.items()).hasSize(threads * each);
        assertThat(run.items()).extracting(d -> d.getString("_id")).doesNotHaveDuplicates();
        assertThat(run.items()).extracting(NumberedFeed::number).doesNotHaveDuplicates().isSorted();
        assertThat(feed.lastNumber(owner)).isEqualTo(run.through());
    }

    @Test
    void storesTheItemWithItsOwnerAndNumberBesideItsFields() {
        String owner = "owner-" + UUID.randomUUID();
        feed.append(owner, "stored", new Document("text", "hello").append("seen", false));

        Document stored = database.getCollection("entries").find(eq("_id", "stored")).first();
        assertThat(stored).isEqualTo(new Document("_id", "stored").append("owner", owner).append("number", 1L)
                .append("text", "hello").append("seen", false));
        assertThat(new ArrayList<>(stored.keySet())).containsExactly("_id", "owner", "number", "text", "seen");
        Document read = feed.after(owner, 0, 10).items().get(0);
        assertThat(read).isEqualTo(stored);
        assertThat(NumberedFeed.number(read)).isEqualTo(1);
        assertThat(feed.contains("stored")).isTrue();
        assertThat(feed.contains("never-appended")).isFalse();
        assertThat(feed.numberOf(stored)).isEqualTo(1);
        assertThatThrownBy(() -> NumberedFeed.number(new Document("text", "hello"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> feed.append(owner, "other", new Document("number", 7)))
                .as("the feed numbers items itself").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNumberMarkedUnusedCarriesTheFieldsTheFeedWasGivenForIt() {
        MongoCollection<Document> items = database.getCollection("marked");
        NumberedFeed marking = new NumberedFeed(items, database.getCollection("marked_numbers"), "recipient", "sequence",
                "recipient_sequence", new Document("read", true));
        String owner = "owner-" + UUID.randomUUID();
        assertThat(marking.markUnused(owner, 1)).isTrue();

        assertThat(new ArrayList<>(items.find(eq("recipient", owner)).first().entrySet())).asString()
                .isEqualTo("[_id=unused:" + owner + "/1, recipient=" + owner + ", sequence=1, unused=true, read=true]");
    }

    @Test
    void aStreamIsWokenByAnAppendOfAnotherInstanceOnlyWhenSomethingArrived() {
        NumberedFeed elsewhere = feedOf(database);
        String owner = "owner-" + UUID.randomUUID();
        AtomicInteger woken = new AtomicInteger();
        Runnable stream = woken::incrementAndGet;
        feed.watch(owner, stream);
        try {
            feed.wakeOnAppendsElsewhere();
            assertThat(woken).hasValue(0);

            elsewhere.append(owner, "item-elsewhere", new Document());
            assertThat(woken).hasValue(0); // another instance's append is only seen by the poll
            feed.wakeOnAppendsElsewhere();
            assertThat(woken).hasValue(1);

            feed.wakeOnAppendsElsewhere();
            assertThat(woken).as("nothing new arrived").hasValue(1);
            feed.append(owner, "item-here", new Document());
            assertThat(woken).as("an append here wakes at once").hasValue(2);
            assertThat(feed.afterLatestKnown(owner, 0, 10).through()).isEqualTo(2);
        } finally {
            feed.unwatch(owner, stream);
        }
        feed.append(owner, "item-after", new Document());
        assertThat(woken).as("a closed stream is not woken").hasValue(2);
    }

    @Test
    void aRepeatedAppendLeavesNoNumberForAStreamToWaitFor() {
        String owner = "owner-" + UUID.randomUUID();
        feed.append(owner, "first", new Document());
        assertThat(feed.append(owner, "first", new Document())).isFalse();
        feed.append(owner, "second", new Document());

        NumberedFeed.Run run = feed.after(owner, 0, 100);
        assertThat(run.items()).extracting(d -> d.getString("_id")).containsExactly("first", "second");
        assertThat(run.through()).as("the repeat's number is passed over").isEqualTo(3);
        assertThat(run.missing()).isZero();
    }

    @Test
    void aNumberTakenButNotStoredHoldsTheRunUntilMarkedUnusedAndItsAppendThenTakesTheNext() {
        String owner = "owner-" + UUID.randomUUID();
        // an append took number 1 and has not stored its item yet
        database.getCollection("entry_numbers").updateOne(eq("_id", owner), Updates.inc("last", 1L), new UpdateOptions().upsert(true));
        feed.append(owner, "higher", new Document());

        NumberedFeed.Run held = feed.after(owner, 0, 100);
        assertThat(held.items()).as("nothing is read past the missing number").isEmpty();
        assertThat(held.through()).isZero();
        assertThat(held.missing()).isEqualTo(1);

        assertThat(feed.markUnused(owner, 1)).isTrue();
        NumberedFeed.Run moved = feed.after(owner, 0, 100);
        assertThat(moved.items()).extracting(d -> d.getString("_id")).containsExactly("higher");
        assertThat(moved.through()).isEqualTo(2);
        assertThat(moved.missing()).isZero();

        // the late append cannot store under the number marked unused, so it takes the next one
        assertThat(feed.append(owner, "late", new Document())).isTrue();
        assertThat(feed.markUnused(owner, 1)).as("marked once").isFalse();
        assertThat(feed.after(owner, 2, 100).items()).extracting(d -> d.getString("_id")).containsExactly("late");
        assertThat(feed.before(owner, 0, 10)).extracting(d -> d.getString("_id")).containsExactly("late", "higher");
    }

    @Test
    void aLongFeedIsReadInRunsAndPagesWithoutTheNumbersMarkedUnusedOrAnotherOwnersItems() {
        String owner = "owner-" + UUID.randomUUID();
        String other = "owner-" + UUID.randomUUID();
        for (int n = 1; n <= 300; n++) {
            feed.append(owner, owner + "/" + n, fields("item-" + n));
            feed.append(other, other + "/" + n, fields("item-" + n));
            if (n % 50 == 0) {
                feed.append(owner, owner + "/" + n, fields("item-" + n)); // a repeat: its number is marked unused
            }
        }
        NumberedFeed.Run run = feed.after(owner, 0, 500);
        assertThat(run.items()).hasSize(300).extracting(d -> d.getString("owner")).containsOnly(owner);
        assertThat(run.through()).isEqualTo(306);
        assertThat(run.missing()).isZero();
        NumberedFeed.Run part = feed.after(owner, 40, 20);
        assertThat(part.through()).isEqualTo(60);
        assertThat(part.items()).hasSize(19); // number 51 is the repeat's

        List<Document> page = feed.before(owner, 0, 130);
        assertThat(page).hasSize(130).extracting(NumberedFeed::number).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(NumberedFeed.number(page.get(0))).as("306 is the last repeat's").isEqualTo(305);
        List<Document> next = feed.before(owner, NumberedFeed.number(page.get(page.size() - 1)), 1000);
        assertThat(next).hasSize(170);
        assertThat(NumberedFeed.number(next.get(next.size() - 1))).isEqualTo(1);
        assertThat(feed.before(owner, 1, 10)).isEmpty();
        assertThat(feed.before(owner, 0, 0)).isEmpty();
    }

    private static Document fields(String text) {
        return new Document("text", text);
    }
}
