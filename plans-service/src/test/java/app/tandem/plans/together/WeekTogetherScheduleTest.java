package app.tandem.plans.together;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.together.WeekLookBackCommands.LookBackOnWeek;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.testkit.EmbeddedStack;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weekly look back on its schedule: once a week has ended, once per couple and week however often its timer fires,
 * for the last week ended when the clock jumped, and never for a couple no longer shared.
 */
class WeekTogetherScheduleTest {

    /** A Wednesday. */
    private static final Instant JOINED = Instant.parse("2026-12-09T10:00:00Z");
    private static final Instant NEXT_MONDAY = Instant.parse("2026-12-14T00:00:00Z");

    private static MongoClient client;
    private static MongoDatabase database;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        database = client.getDatabase("week-together-test-" + UUID.randomUUID());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private final List<LookBackOnWeek> lookBacks = new ArrayList<>();
    private final MovableClock clock = new MovableClock();
    private final CouplePartners couples = new CouplePartners(database);
    private final WeekTogetherSchedule schedule = new WeekTogetherSchedule(database, couples, gateway(), clock);

    /** Stands where the test puts it. */
    private static final class MovableClock extends java.time.Clock {
        private volatile Instant now = JOINED;

        void set(Instant moment) {
            now = moment;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A command bus that takes each look back once, as its aggregate does. */
    private DefaultCommandGateway gateway() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        Set<String> stored = new HashSet<>();
        bus.subscribe(LookBackOnWeek.class.getName(), message -> {
            LookBackOnWeek command = (LookBackOnWeek) message.getPayload();
            if (!stored.add(command.lookBackId())) {
                throw new AggregateStreamCreationException("already looked back");
            }
            lookBacks.add(command);
            return null;
        });
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    private static EventEnvelope envelope(String coupleId, Instant at, Message payload) {
        return EventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString()).setCoupleId(coupleId)
                .setOccurredAt(Timestamps.of(at)).setPayload(Any.pack(payload)).build();
    }

    private String couple() {
        String coupleId = UUID.randomUUID().toString();
        for (EventEnvelope event : List.of(envelope(coupleId, JOINED, CoupleCreated.newBuilder().setCoupleId(coupleId).setFounderPersonId("alex").build()),
                envelope(coupleId, JOINED, PartnerJoined.newBuilder().setCoupleId(coupleId).setPersonId("sam").build()))) {
            couples.handle(event);
            schedule.handle(event);
        }
        return coupleId;
    }

    @Test
    void aWeekIsLookedBackOnOnceWhenItHasEnded() {
        String coupleId = couple();
        clock.set(NEXT_MONDAY.minus(Duration.ofSeconds(1)));
        schedule.lookBackOnEndedWeeks();
        assertThat(lookBacks).as("the week is not over").isEmpty();

        clock.set(NEXT_MONDAY.plus(Duration.ofMinutes(1)));
        schedule.lookBackOnEndedWeeks();
        schedule.lookBackOnEndedWeeks();
        assertThat(lookBacks).singleElement().satisfies(l -> {
            assertThat(l.coupleId()).isEqualTo(coupleId);
            assertThat(l.weekStart()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
            assertThat(l.partners()).containsExactlyInAnyOrder("alex", "sam");
        });

        // the join redelivered: the timer stays at the end of the week now running
        schedule.handle(envelope(coupleId, JOINED, PartnerJoined.newBuilder().setCoupleId(coupleId).setPersonId("sam").build()));
        schedule.lookBackOnEndedWeeks();
        assertThat(lookBacks).hasSize(1);

        // three weeks later at once: the last week ended, not every week missed
        clock.set(NEXT_MONDAY.plus(Duration.ofDays(21)).plus(Duration.ofHours(2)));
        schedule.lookBackOnEndedWeeks();
        assertThat(lookBacks).extracting(LookBackOnWeek::weekStart).containsExactly(Instant.parse("2026-12-07T00:00:00Z"),
                Instant.parse("2026-12-28T00:00:00Z"));
    }

    @Test
    void aCoupleDissolvedGetsNoLookBack() {
        String dissolvedFirst = couple();
        EventEnvelope dissolved = envelope(dissolvedFirst, JOINED, CoupleDissolved.newBuilder().setCoupleId(dissolvedFirst).build());
        couples.handle(dissolved);
        schedule.handle(dissolved);
        // dissolved while its timer was kept (a redelivered join after the leave)
        String dissolvedLater = couple();
        couples.handle(envelope(dissolvedLater, JOINED, CoupleDissolved.newBuilder().setCoupleId(dissolvedLater).build()));

        clock.set(NEXT_MONDAY.plus(Duration.ofMinutes(1)));
        schedule.lookBackOnEndedWeeks();
        assertThat(lookBacks).isEmpty();
        assertThat(database.getCollection("week_together_timers").countDocuments(
                com.mongodb.client.model.Filters.in("_id", dissolvedFirst, dissolvedLater))).isZero();
    }
}
