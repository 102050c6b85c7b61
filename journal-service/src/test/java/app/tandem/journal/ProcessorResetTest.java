package app.tandem.journal;

import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.ProcessorReset;
import app.tandem.api.v1.ProcessorStatus;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SegmentStatus;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.Visibility;
import app.tandem.journal.JournalCalls.Pair;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.platform.security.Caller;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of journal-service share one database: an operator resets a processor through either while both run,
 * and its read model is rebuilt with every entry once; a replica that dies holding the segment holds the reset up
 * only until its claim times out, and one that never hands it back until the reset's deadline, resetting nothing; a
 * reset failing part-way is reported as such and rebuilt by the next.
 */
class ProcessorResetTest {

    private static final String TIMELINE = "timeline";
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RESET_DEADLINE = Duration.ofSeconds(4);
    private static final Caller OPERATOR = Caller.person("olive-" + JournalCalls.key(), Set.of(Role.ROLE_OPERATOR), "", "test");

    @Test
    void aReadModelIsRebuiltWhileBothReplicasRunAndADeadReplicaHoldsItUpOnlyUntilItsClaimTimesOut() throws InterruptedException {
        Map<String, Object> settings = new HashMap<>(EmbeddedStack.shared().serviceProperties(JournalApplication.NAME));
        settings.put("tandem.event-store.claim-timeout", CLAIM_TIMEOUT.toMillis() + "ms");
        settings.put("tandem.event-store.reset-deadline", RESET_DEADLINE.toMillis() + "ms");
        Map<String, RunningService> replicas = new HashMap<>();
        try {
            for (String replica : List.of("journal-a", "journal-b")) {
                Map<String, Object> own = new HashMap<>(settings);
                own.put("tandem.event-store.replica-id", replica);
                own.put("tandem.kafka.instance-id", settings.get("tandem.kafka.consumer-group") + "-" + replica);
                replicas.put(replica, RunningService.start(JournalApplication.NAME, JournalApplication.class, own, Clock.systemUTC(),
                        context -> ((BeanDefinitionRegistry) context.getBeanFactory()).registerBeanDefinition("failingTimelineReset",
                                new RootBeanDefinition(FailingTimelineReset.class))));
            }
            // before anything is stored there is nothing to replay, and it says so
            assertThat(operator(replicas.get("journal-b")).resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME)
                    .setName("progress-view").setIdempotencyKey(JournalCalls.key()).build()).getReplayUntilPosition()).isZero();

            JournalCalls calls = new JournalCalls(replicas.get("journal-a"));
            Pair pair = calls.couple();
            List<String> recorded = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                recorded.add(calls.record(pair, i % 2 == 0 ? pair.alex() : pair.sam(), Visibility.SHARED_WITH_PARTNER, "entry " + i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> checkIns(calls, pair).size() == recorded.size());

            // through the replica that does not hold the segment: it used to refuse
            String holder = await().atMost(Duration.ofSeconds(10)).until(() -> holderOf(replicas.get("journal-a")), h -> !h.isEmpty());
            RunningService asked = replicas.get(holder.equals("journal-a") ? "journal-b" : "journal-a");
            String key = JournalCalls.key();
            long started = System.nanoTime();
            long until = reset(asked, key);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(until).isPositive();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(checkIns(calls, pair)).containsExactlyInAnyOrderElementsOf(recorded);
                assertThat(timeline(replicas.get("journal-b")).getSegmentsList()).allSatisfy(s -> assertThat(s.getPosition()).isGreaterThanOrEqualTo(until));
            });
            ProcessorReset done = timeline(replicas.get("journal-a")).getLastReset();
            assertThat(done.getState()).isEqualTo(ProcessorReset.State.DONE);
            // the same request again, through the other replica: the same answer, and no second reset
            assertThat(reset(replicas.get(holder), key)).isEqualTo(until);
            assertThat(timeline(replicas.get(holder)).getLastReset()).isEqualTo(done);

            // both replicas run it and take part: whichever holds the segment, the other takes over when it stops
            assertThat(replicas.values()).allSatisfy(r -> assertThat(timeline(r).getRunning()).isTrue());
            String afterReset = await().atMost(Duration.ofSeconds(10)).until(() -> holderOf(asked), h -> !h.isEmpty());
            assertThat(holderOf(replicas.get(afterReset.equals("journal-a") ? "journal-b" : "journal-a"))).isEqualTo(afterReset);
            recorded.add(calls.record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "after the reset"));
            await().atMost(Duration.ofSeconds(10)).until(() -> checkIns(calls, pair).size() == recorded.size());

            // the holder dies to the others without handing its segment back: it reaches the database no more
            String dead = afterReset;
            String survivorName = dead.equals("journal-a") ? "journal-b" : "journal-a";
            replicas.get(dead).bean(MongoClient.class).close();
            RunningService survivor = replicas.get(survivorName);
            assertThat(holderOf(survivor)).as("the dead replica's claim is still there").isEqualTo(dead);
            JournalCalls survivorCalls = new JournalCalls(survivor);
            started = System.nanoTime();
            long untilAfterDeath = reset(survivor, JournalCalls.key());
            long withDeadMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(withDeadMillis).as("waits for the dead replica's claim, and not much longer")
                    .isLessThan(CLAIM_TIMEOUT.toMillis() + 5_000);
            recorded.add(survivorCalls.record(pair, pair.sam(), Visibility.SHARED_WITH_PARTNER, "after the second reset"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(checkIns(survivorCalls, pair)).containsExactlyInAnyOrderElementsOf(recorded);
                assertThat(timeline(survivor).getSegmentsList()).singleElement().satisfies(s -> {
                    assertThat(s.getClaimedBy()).isEqualTo(survivorName);
                    assertThat(s.getPosition()).isGreaterThan(untilAfterDeath);
                });
            });

            // a replica that keeps its claim without ever looking (an older version, say) holds a reset up only until
            // its deadline, and then nothing is reset
            MongoCollection<Document> tokens = survivor.bean(MongoTemplate.class).trackingTokensCollection();
            Bson timelineSegment = Filters.and(Filters.eq("processorName", TIMELINE), Filters.eq("segment", 0));
            AtomicBoolean holding = new AtomicBoolean(true);
            long abandonedMillis;
            Thread oldVersion = new Thread(() -> {
                while (holding.get()) {
                    tokens.updateOne(timelineSegment, Updates.combine(Updates.set("owner", "journal-old"),
                            Updates.set("timestamp", System.currentTimeMillis())));
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            });
            oldVersion.start();
            try {
                started = System.nanoTime();
                assertThatThrownBy(() -> reset(survivor, JournalCalls.key())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription()).contains("journal-old", "nothing was reset");
                });
                abandonedMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(abandonedMillis).isGreaterThanOrEqualTo(RESET_DEADLINE.toMillis() - 100);
            } finally {
                holding.set(false);
                oldVersion.join();
            }
            assertThat(timeline(survivor).getLastReset().getState()).isEqualTo(ProcessorReset.State.ABANDONED);

            // a reset that fails once every claim is held may have emptied the read model: it says so, and so does a
            // retry; the processor runs again, and a new reset rebuilds the read model
            String interrupted = JournalCalls.key();
            FailingTimelineReset.failing.set(true);
            try {
                for (int ask = 0; ask < 2; ask++) {
                    assertThatThrownBy(() -> reset(survivor, interrupted)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).contains("stopped part-way", "reset it again");
                    });
                }
            } finally {
                FailingTimelineReset.failing.set(false);
            }
            assertThat(timeline(survivor).getLastReset().getState()).isEqualTo(ProcessorReset.State.INTERRUPTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> timeline(survivor).getRunning() && holderOf(survivor).equals(survivorName));
            long rebuiltUntil = reset(survivor, JournalCalls.key());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(checkIns(survivorCalls, pair)).containsExactlyInAnyOrderElementsOf(recorded);
                assertThat(timeline(survivor).getSegmentsList()).singleElement().satisfies(s -> assertThat(s.getPosition()).isGreaterThanOrEqualTo(rebuiltUntil));
            });
            assertThat(timeline(survivor).getLastReset().getState()).isEqualTo(ProcessorReset.State.DONE);
            System.out.printf("reset with two replicas: %d ms; with one dead holding the segment (claim timeout %d ms): %d ms; "
                    + "abandoned at its deadline (%d ms): %d ms%n", tookMillis, CLAIM_TIMEOUT.toMillis(), withDeadMillis,
                    RESET_DEADLINE.toMillis(), abandonedMillis);
        } finally {
            replicas.values().forEach(RunningService::close);
        }
    }

    /** A handler of the timeline's processor whose reset fails while {@link #failing} is set, as a database outage would. */
    @ProcessingGroup(TIMELINE)
    public static class FailingTimelineReset {
        static final AtomicBoolean failing = new AtomicBoolean();

        @EventHandler
        void on(CheckInRecorded event) {
            // only its reset matters
        }

        @ResetHandler
        void reset() {
            if (failing.get()) {
                throw new IllegalStateException("the read model's database went away");
            }
        }
    }

    private static long reset(RunningService replica, String key) {
        return operator(replica).resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName(TIMELINE)
                .setIdempotencyKey(key).build()).getReplayUntilPosition();
    }

    private static ProcessorStatus timeline(RunningService replica) {
        return operator(replica).listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build())
                .getProcessorsList().stream().filter(p -> p.getName().equals(TIMELINE)).findFirst().orElseThrow();
    }

    /** The replica holding the timeline's one segment, as {@code replica} sees it; empty while none does. */
    private static String holderOf(RunningService replica) {
        return timeline(replica).getSegmentsList().stream().map(SegmentStatus::getClaimedBy).findFirst().orElse("");
    }

    /** One operator throughout, so a retry is the same operator's request. */
    private static OperatorServiceGrpc.OperatorServiceBlockingStub operator(RunningService replica) {
        return OperatorServiceGrpc.newBlockingStub(replica.channel()).withCallCredentials(replica.as(OPERATOR));
    }

    private static List<String> checkIns(JournalCalls calls, Pair pair) {
        return calls.timeline(pair.alex(), ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()).setPageSize(100))
                .getEntriesList().stream().map(TimelineEntry::getCheckInId).toList();
    }
}
