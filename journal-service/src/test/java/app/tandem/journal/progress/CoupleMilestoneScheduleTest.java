package app.tandem.journal.progress;

import app.tandem.journal.couple.CoupleCommands.NoteJournalActivity;
import app.tandem.journal.couple.CoupleEvents.CoupleMilestoneReached;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.journal.couple.CoupleEvents.PartnerLeft;
import app.tandem.platform.time.SettableClock;
import app.tandem.testkit.EmbeddedStack;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Couple milestones are looked at once a day, at midnight (UTC), from the join and the milestones reached. */
class CoupleMilestoneScheduleTest {

    private static final Instant JOINED = Instant.parse("2027-03-01T21:17:42.123Z");
    private static final Instant MIDNIGHT_AFTER_JOIN = Instant.parse("2027-03-02T00:00:00Z");

    private static MongoClient client;
    private final SettableClock clock = new SettableClock();
    private final List<NoteJournalActivity> sent = new CopyOnWriteArrayList<>();
    private CoupleMilestoneSchedule schedule;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void setUp() {
        clock.advanceTo(JOINED);
        CommandGateway commands = (CommandGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{CommandGateway.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendAndWait")) {
                        sent.add((NoteJournalActivity) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        schedule = new CoupleMilestoneSchedule(client.getDatabase("couple-milestones-test-" + UUID.randomUUID()), commands, clock);
    }

    @Test
    void theFirstMidnightAtOrAfterTheNextMilestone() {
        assertThat(CoupleMilestoneSchedule.evaluationOf(JOINED, 0)).isEqualTo(Instant.parse("2027-03-03T00:00:00Z"));
        assertThat(CoupleMilestoneSchedule.evaluationOf(JOINED, 1)).isEqualTo(Instant.parse("2027-03-05T00:00:00Z"));
        assertThat(CoupleMilestoneSchedule.evaluationOf(MIDNIGHT_AFTER_JOIN, 0)).isEqualTo(Instant.parse("2027-03-03T00:00:00Z"));
    }

    @Test
    void theCoupleIsToldTheDayOnlyWhenItHasComeAndTheNextMilestoneFollows() {
        schedule.on(new PartnerJoined("c1", "sam", "hash", JOINED));
        clock.advanceTo(Instant.parse("2027-03-02T23:59:59Z"));
        assertThat(schedule.evaluateDue()).isZero();

        clock.advanceTo(Instant.parse("2027-03-03T00:00:30Z"));
        assertThat(schedule.evaluateDue()).isEqualTo(1);
        assertThat(sent).containsExactly(new NoteJournalActivity("c1", Instant.parse("2027-03-03T00:00:00Z")));
        assertThat(schedule.evaluateDue()).as("held while the couple decides").isZero();

        schedule.on(new CoupleMilestoneReached("c1", 1, List.of("alex", "sam"), Instant.parse("2027-03-03T00:00:00Z")));
        schedule.on(new CoupleMilestoneReached("c1", 1, List.of("alex", "sam"), Instant.parse("2027-03-03T00:00:00Z"))); // redelivered
        clock.advanceTo(Instant.parse("2027-03-05T00:00:00Z"));
        assertThat(schedule.evaluateDue()).isEqualTo(1);
        assertThat(sent).last().isEqualTo(new NoteJournalActivity("c1", Instant.parse("2027-03-05T00:00:00Z")));
    }

    @Test
    void anOlderMilestoneMovesNothingBackAndALeaveEndsTheSchedule() {
        schedule.on(new PartnerJoined("c2", "sam", "hash", JOINED));
        schedule.on(new CoupleMilestoneReached("c2", 7, List.of("alex", "sam"), Instant.parse("2027-03-09T00:00:00Z")));
        schedule.on(new CoupleMilestoneReached("c2", 3, List.of("alex", "sam"), Instant.parse("2027-03-05T00:00:00Z")));
        clock.advanceTo(Instant.parse("2027-03-15T00:00:00Z"));
        assertThat(schedule.evaluateDue()).isZero();
        clock.advanceTo(Instant.parse("2027-03-16T00:00:00Z"));
        assertThat(schedule.evaluateDue()).isEqualTo(1);
        assertThat(sent).containsExactly(new NoteJournalActivity("c2", Instant.parse("2027-03-16T00:00:00Z")));

        schedule.on(new PartnerLeft("c2", "sam", "alex", Instant.parse("2027-03-16T10:00:00Z")));
        clock.advance(Duration.ofDays(400));
        assertThat(schedule.evaluateDue()).isZero();
    }

    @Test
    void aResetForgetsEverything() {
        schedule.on(new PartnerJoined("c3", "sam", "hash", JOINED));
        schedule.reset();
        clock.advance(Duration.ofDays(30));
        assertThat(schedule.evaluateDue()).isZero();
    }
}
