package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressCommands.Use;
import app.tandem.journal.progress.ProgressEvents.JourneyStarted;
import app.tandem.journal.progress.ProgressEvents.MilestoneReached;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** When a journey's next milestone can come, as the events that start runs and reach milestones say. */
class MilestonesDueTest {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00.123456Z");
    private static final Use ALCOHOL = new Use(List.of(Substance.ALCOHOL), false, false);

    private static MongoClient client;
    private static MilestonesDue due;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        due = new MilestonesDue(client.getDatabase("milestones-due-test-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static Instant day(double days) {
        return START.plusSeconds((long) (days * 86_400));
    }

    private static MilestonesDue.Due of(String id) {
        return due.of(List.of(id)).get(id);
    }

    private static UseRecorded use(String journey, String id, Instant at, boolean counts) {
        return new UseRecorded(journey, "alex", id, id, at, ALCOHOL, counts, counts, null, null, at);
    }

    @Test
    void aJourneysNextMilestoneMovesWithItsMilestonesAndStartsAgainAfterAUse() {
        String journey = UUID.randomUUID().toString();
        assertThat(due.of(List.of(journey))).as("unknown: every check-in is sent").isEmpty();

        due.on(new JourneyStarted(journey, "alex", START));
        assertThat(of(journey).reachedBy(day(0.9))).isFalse();
        assertThat(of(journey).reachedBy(day(1))).as("a day after the start, even to the microsecond").isTrue();

        due.on(new MilestoneReached(journey, "alex", "m1", 1, null, START, day(1), null, null, false));
        due.on(new MilestoneReached(journey, "alex", "m3", 3, null, START, day(3), null, null, false));
        due.on(new MilestoneReached(journey, "alex", "m1", 1, null, START, day(1), null, null, false)); // redelivered
        assertThat(of(journey).reachedBy(day(6.9))).isFalse();
        assertThat(of(journey).reachedBy(day(7))).isTrue();

        due.on(use(journey, "u0", day(2), false));
        assertThat(of(journey).reachedBy(day(6.9))).as("a use that does not count changes nothing").isFalse();

        due.on(use(journey, "u1", day(4), true));
        assertThat(of(journey).reachedBy(day(4.9))).isFalse();
        assertThat(of(journey).reachedBy(day(5))).as("a new run: its first milestone a day after the use").isTrue();

        due.on(use(journey, "u-late", day(3.5), true));
        due.on(new MilestoneReached(journey, "alex", "m-old", 7, null, START, day(7), null, null, false));
        due.on(new JourneyStarted(journey, "alex", START)); // redelivered
        assertThat(of(journey).reachedBy(day(5))).as("an earlier use told later, a milestone of the old run, a start again")
                .isTrue();
        assertThat(of(journey).reachedBy(day(4.9))).isFalse();
    }

    @Test
    void aUseInTheMillisecondTheRunStartedStartsTheCountAgain() {
        String journey = UUID.randomUUID().toString();
        due.on(new JourneyStarted(journey, "alex", START));
        due.on(new MilestoneReached(journey, "alex", "m1", 1, null, START, day(1), null, null, false));
        due.on(use(journey, "u1", START.plusNanos(400_000), true));
        assertThat(of(journey).reachedBy(day(1))).isTrue();
    }

    @Test
    void aResetForgetsEverything() {
        String journey = UUID.randomUUID().toString();
        due.on(new JourneyStarted(journey, "alex", START));
        due.reset();
        assertThat(due.of(List.of(journey))).isEmpty();
    }
}
