package app.tandem.plans.relapse;

import app.tandem.api.v1.Substance;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.relapse.RelapseCommands.EndReason;
import app.tandem.plans.relapse.RelapseCommands.EndRelapseResponse;
import app.tandem.plans.relapse.RelapseCommands.StartRelapseResponse;
import app.tandem.plans.safetyplan.PlanSection;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import app.tandem.plans.safetyplan.PlanVersion;
import app.tandem.plans.safetyplan.SafetyPlan;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.grpc.JournalFacts;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.InvalidProtocolBufferException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.Repository;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/**
 * Starts a relapse response for every lapse the journal publishes, and ends a couple's responses when it
 * dissolves. Both are idempotent: the response's id is the lapse id, so a redelivered lapse finds it started,
 * and ending an ended response changes nothing. Whether it is urgent (used alone, or opioids without naloxone at
 * hand) is asked of the journal; a lapse whose facts the journal no longer gives (taken back, or its person erased)
 * still gets its response and counts as urgent, since a fact that is gone must never make a lapse look safer.
 */
@Component
public class LapseIntake implements IntegrationEventHandler {

    private static final Logger log = LoggerFactory.getLogger(LapseIntake.class);

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<SafetyPlan> plans;
    private final CouplePartners couples;
    private final Clock clock;
    private final JournalFacts journal;
    /** Every lapse each couple had, written before its response starts, so a dissolution finds them all. */
    private final MongoCollection<Document> coupleLapses;

    public LapseIntake(CommandGateway commands, Aggregates aggregates, Repository<SafetyPlan> plans, CouplePartners couples, Clock clock,
                       JournalFacts journal, MongoDatabase database) {
        this.commands = commands;
        this.aggregates = aggregates;
        this.plans = plans;
        this.couples = couples;
        this.clock = clock;
        this.journal = journal;
        this.coupleLapses = database.getCollection("couple_lapses");
    }

    @Override
    public Set<String> topics() {
        return Set.of(CouplePartners.JOURNAL_TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        try {
            if (envelope.getPayload().is(LapseDisclosed.class)) {
                start(envelope, envelope.getPayload().unpack(LapseDisclosed.class));
            } else if (envelope.getPayload().is(CoupleDissolved.class)) {
                end(envelope.getPayload().unpack(CoupleDissolved.class).getCoupleId());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }

    private void start(EventEnvelope envelope, LapseDisclosed lapse) {
        if (lapse.getLapseId().isBlank() || lapse.getPartnerPersonId().isBlank()) {
            log.warn("lapse {} of couple {} names no partner; no relapse response", lapse.getLapseId(), lapse.getCoupleId());
            return;
        }
        if (couples.find(lapse.getCoupleId()).map(CouplePartners.Couple::dissolved).orElse(false)) {
            return; // the couple no longer shares anything: nobody is prompted
        }
        coupleLapses.updateOne(eq("_id", lapse.getCoupleId()), Updates.addToSet("lapses", lapse.getLapseId()),
                new UpdateOptions().upsert(true));
        // the disclosure's time, not ours: a redelivery or a late start keeps the same follow-up times
        Instant disclosedAt = envelope.hasOccurredAt() ? Timestamps.toInstant(envelope.getOccurredAt()) : clock.instant();
        Optional<PlanVersion> agreed = aggregates.read(plans, SafetyPlan.idFor(lapse.getCoupleId()), SafetyPlan::agreed).flatMap(a -> a);
        List<PlannedStep> steps = new ArrayList<>();
        agreed.ifPresent(plan -> {
            addSteps(steps, plan, lapse.getPersonId(), Role.IF_I_LAPSE);
            addSteps(steps, plan, lapse.getPartnerPersonId(), Role.IF_MY_PARTNER_LAPSES);
        });
        boolean urgent = journal.disclosedLapse(lapse.getLapseId()).map(LapseIntake::urgent).orElse(true);
        try {
            commands.sendAndWait(new StartRelapseResponse(lapse.getLapseId(), lapse.getCoupleId(), lapse.getPersonId(),
                    lapse.getPartnerPersonId(), disclosedAt, urgent, agreed.map(PlanVersion::version).orElse(0), steps));
        } catch (AggregateStreamCreationException alreadyStarted) {
            // a redelivered lapse: its response is already under way
        }
    }

    private static boolean urgent(DisclosedLapse facts) {
        return facts.getUsedAlone() || (facts.getSubstancesList().contains(Substance.OPIOIDS) && !facts.getNaloxoneAtHand());
    }

    private static void addSteps(List<PlannedStep> steps, PlanVersion plan, String personId, Role role) {
        PlanSection section = plan.sections().get(personId);
        if (section == null) {
            return;
        }
        for (Timeframe timeframe : Timeframe.values()) {
            for (String text : section.steps(timeframe, role)) {
                steps.add(new PlannedStep(personId, role, timeframe, text));
            }
        }
    }

    private void end(String coupleId) {
        Document document = coupleLapses.find(eq("_id", coupleId)).first();
        if (document == null) {
            return;
        }
        for (String lapseId : document.getList("lapses", String.class)) {
            try {
                commands.sendAndWait(new EndRelapseResponse(lapseId, EndReason.COUPLE_DISSOLVED, clock.instant()));
            } catch (AggregateNotFoundException neverStarted) {
                // recorded, but the service stopped before the response started: nothing to end
            }
        }
    }
}
