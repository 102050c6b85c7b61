package app.tandem.plans.together;

import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.together.WeekLookBackCommands.LookBackOnWeek;
import app.tandem.platform.kafka.IntegrationEventHandler;
import app.tandem.platform.time.DueTimers;
import com.google.protobuf.InvalidProtocolBufferException;
import com.mongodb.client.MongoDatabase;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/**
 * The weekly look back, on a schedule of the service's own, never at the moment of anyone's action: one durable timer
 * per shared couple for the end of its current week, set when the partner joins and cancelled when the couple
 * dissolves. When a week has ended the couple's {@link WeekLookBack} is created (once per couple and week, so a
 * redelivered join or a second replica prompts nobody twice) and the timer moves to the end of the week now running: a
 * couple whose clock jumped weeks ahead is told of the last week, not of every week it missed.
 */
@Component
public class WeekTogetherSchedule implements IntegrationEventHandler {

    public static final String NAME = "week-together";

    private static final Duration RETRY = Duration.ofMinutes(5);
    private static final int BATCH = 100;

    private final DueTimers timers;
    private final CouplePartners couples;
    private final CommandGateway commands;
    private final Clock clock;

    public WeekTogetherSchedule(MongoDatabase database, CouplePartners couples, CommandGateway commands, Clock clock) {
        this.timers = new DueTimers(database.getCollection("week_together_timers"), "weekEndsAt", RETRY, clock);
        this.couples = couples;
        this.commands = commands;
        this.clock = clock;
    }

    @Override
    public Set<String> topics() {
        return Set.of(CouplePartners.JOURNAL_TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        try {
            if (envelope.getPayload().is(PartnerJoined.class)) {
                // the service's clock, which scenarios move, rather than the stored event's time
                PartnerJoined joined = envelope.getPayload().unpack(PartnerJoined.class);
                timers.set(joined.getCoupleId(), Weeks.endOf(clock.instant()), new Document());
            } else if (envelope.getPayload().is(CoupleDissolved.class)) {
                timers.cancel(eq("_id", envelope.getPayload().unpack(CoupleDissolved.class).getCoupleId()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }

    /** Looks back on the weeks that have ended; returns how many couples were looked at. */
    public int lookBackOnEndedWeeks() {
        return timers.fireDue(BATCH, timer -> {
            CouplePartners.Couple couple = couples.find(timer.id()).orElse(null);
            if (couple == null || couple.dissolved() || couple.partners().size() != 2) {
                return DueTimers.Outcome.DONE; // a couple no longer shared gets no look back
            }
            Instant now = clock.instant();
            Instant weekStart = Weeks.startOf(now).minus(Weeks.LENGTH); // the last week ended

            try {
                commands.sendAndWait(new LookBackOnWeek(WeekLookBackCommands.idOf(couple.coupleId(), weekStart), couple.coupleId(),
                        weekStart, couple.partners()));
            } catch (AggregateStreamCreationException alreadyLookedBack) {
                // a timer fired again after its look back was stored
            }
            timers.set(timer.id(), Weeks.endOf(now), new Document());
            return DueTimers.Outcome.LATER; // moved to the end of the week now running
        });
    }
}
