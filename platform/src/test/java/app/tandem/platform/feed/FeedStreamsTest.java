package app.tandem.platform.feed;

import app.tandem.devservers.DevServers;
import app.tandem.platform.grpc.ReadyOnDemandCall;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Streams of a feed against a call that takes messages only when it says it is ready, as grpc-java's does. */
class FeedStreamsTest {

    private static MongoClient client;
    private static NumberedFeed feed;

    @BeforeAll
    static void start() {
        client = MongoClients.create(DevServers.shared().mongoUri());
        MongoDatabase database = client.getDatabase("feed-streams-test-" + UUID.randomUUID());
        feed = new NumberedFeed(database.getCollection("entries"), database.getCollection("entry_numbers"), "owner", "number", "owner_number");
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void anItemIsMadeAMessageOnlyAsItIsSentSoOneNoLongerAllowedIsNotSentAfterItWasRead() {
        String owner = "owner-" + UUID.randomUUID();
        try (FeedStreams<String> streams = new FeedStreams<>("care", feed, 3, 10, 1, Duration.ofSeconds(1))) {
            feed.append(owner, "a", new Document("text", "a"));
            feed.append(owner, "b", new Document("text", "b"));
            AtomicBoolean allowed = new AtomicBoolean(true);
            AtomicInteger asked = new AtomicInteger();
            ReadyOnDemandCall<String> call = new ReadyOnDemandCall<>(false);
            streams.open(owner, 0, call, item -> {
                asked.incrementAndGet();
                return allowed.get() ? Optional.of(item.getString("text") + "@" + NumberedFeed.number(item)) : Optional.empty();
            });
            // read, and held back while the client cannot take more
            await().atMost(Duration.ofSeconds(10)).until(() -> call.readyAsked.get() > 0);
            assertThat(asked).hasValue(0);

            allowed.set(false);
            call.becomeReady();
            await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() == 2);
            assertThat(call.sent).isEmpty();

            allowed.set(true);
            feed.append(owner, "c", new Document("text", "c"));
            await().atMost(Duration.ofSeconds(10)).until(() -> call.sent.size() == 1);
            assertThat(call.sent).containsExactly("c@3");
            assertThat(streams.openStreams()).isEqualTo(1);
        }
    }

    @Test
    void aRunIsReadInOneGoBeforeItsItemsAreSent() {
        String owner = "owner-" + UUID.randomUUID();
        try (FeedStreams<String> streams = new FeedStreams<>("care", feed, 3, 10, 1, Duration.ofSeconds(1))) {
            feed.append(owner, owner + "/a", new Document("text", "a"));
            feed.append(owner, owner + "/b", new Document("text", "b"));
            List<String> seen = new CopyOnWriteArrayList<>();
            ReadyOnDemandCall<String> call = new ReadyOnDemandCall<>(true);
            streams.open(owner, 0, call, new Delivery<>() {
                @Override
                public void read(List<Document> run) {
                    seen.add("read " + run.stream().map(item -> item.getString("text")).toList());
                }

                @Override
                public Optional<String> toMessage(Document item) {
                    seen.add("send " + item.getString("text"));
                    return Optional.of(item.getString("text"));
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> call.sent.size() == 2);
            assertThat(seen).containsExactly("read [a, b]", "send a", "send b");
        }
    }

    @Test
    void aMessageThatCannotBeMadeEndsTheStreamForTheClientToReconnect() {
        String owner = "owner-" + UUID.randomUUID();
        try (FeedStreams<String> streams = new FeedStreams<>("care", feed, 3, 10, 1, Duration.ofSeconds(1))) {
            feed.append(owner, "broken", new Document());
            ReadyOnDemandCall<String> call = new ReadyOnDemandCall<>(true);
            streams.open(owner, 0, call, item -> {
                throw new IllegalStateException("cannot say");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> call.failure.get() != null);
            assertThat(Status.fromThrowable(call.failure.get()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);
        }
    }

    @Test
    void streamsAreCappedPerOwnerAndPerInstanceAndEndWhenTheyStop() {
        String owner = "owner-" + UUID.randomUUID();
        Delivery<String> text = item -> Optional.of(item.toJson());
        FeedStreams<String> streams = new FeedStreams<>("care", feed, 2, 3, 1, Duration.ofSeconds(1));
        ReadyOnDemandCall<String> first = new ReadyOnDemandCall<>(true);
        streams.open(owner, 0, first, text);
        streams.open(owner, 0, new ReadyOnDemandCall<>(true), text);
        assertThatThrownBy(() -> streams.open(owner, 0, new ReadyOnDemandCall<>(true), text))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("you have 2 care streams open already: close one first");
                });
        streams.open("owner-" + UUID.randomUUID(), 0, new ReadyOnDemandCall<>(true), text);
        assertThatThrownBy(() -> streams.open("owner-" + UUID.randomUUID(), 0, new ReadyOnDemandCall<>(true), text))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(streams.openStreams()).isEqualTo(3);

        first.cancel();
        assertThat(streams.openStreams()).as("a cancelled stream leaves at once").isEqualTo(2);
        ReadyOnDemandCall<String> last = new ReadyOnDemandCall<>(true);
        streams.open(owner, 0, last, text);

        streams.close();
        assertThat(Status.fromThrowable(last.failure.get()).getCode()).as("told to reconnect elsewhere").isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(first.failure.get()).isNull();
        assertThat(streams.openStreams()).isZero();
        assertThatThrownBy(() -> streams.open(owner, 0, new ReadyOnDemandCall<>(true), text))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
}
