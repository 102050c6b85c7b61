package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressCommands.DiscloseLapse;
import app.tandem.journal.progress.ProgressCommands.NoteCheckIn;
import app.tandem.journal.progress.ProgressCommands.SetGoal;
import app.tandem.journal.progress.ProgressCommands.Use;
import app.tandem.journal.progress.ProgressEvents.GoalSet;
import app.tandem.journal.progress.ProgressEvents.JourneyStarted;
import app.tandem.journal.progress.ProgressEvents.MilestoneReached;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One person's way with their goals, across every couple they are in: the goals they set (never erased, only
 * replaced), the uses they reported, and the milestones of days without use, each celebrated once per run.
 * Both partners may have one; neither is "the patient".
 */
@Aggregate
public class Journey {

    @AggregateIdentifier
    private String journeyId;
    private String personId;
    private Instant countingSince;
    private GoalSet goal;
    private final List<Instant> countedUses = new ArrayList<>();
    private final Set<String> handled = new HashSet<>();
    private Instant milestoneRunStart;
    private int milestonePassed;

    protected Journey() {
        // for Axon
    }

    /** One journey per person, with an identifier no other aggregate can have. */
    public static String idOf(String personId) {
        return UUID.nameUUIDFromBytes(("journey\u0000" + personId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SetGoal command) {
        if (handled.contains(command.requestId())) {
            return;
        }
        start(command.journeyId(), command.personId(), command.now());
        apply(new GoalSet(journeyId, personId, command.requestId(), command.kind(), List.copyOf(command.substances()),
                command.shareProgressWithPartner(), command.now()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(NoteCheckIn command) {
        if (handled.contains(command.checkInId())) {
            return; // noted already: a redelivered check-in counts once
        }
        start(command.journeyId(), command.personId(), command.occurredAt().isBefore(command.recordedAt()) ? command.occurredAt() : command.recordedAt());
        if (command.used()) {
            boolean counts = countsAgainstGoal(command.use());
            // a lapse is use against an abstinence goal, or any use by someone who set no goal: they may want support
            // after a use they chose to share, as anyone who discloses a lapse themself does
            boolean lapse = counts && (goal == null || goal.kind() == GoalKind.ABSTINENCE);
            // use reported only privately stays private: it is counted, never disclosed
            boolean disclosed = lapse && command.sharedWithPartner() && command.partnerPersonId() != null;
            apply(new UseRecorded(journeyId, personId, command.checkInId(), command.checkInId(), command.occurredAt(), command.use(),
                    counts, lapse, disclosed ? command.coupleId() : null, disclosed ? command.partnerPersonId() : null,
                    command.recordedAt()));
        }
        celebrate(command.recordedAt(), command.coupleId(), command.partnerPersonId());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(DiscloseLapse command) {
        if (handled.contains(command.lapseId())) {
            return;
        }
        start(command.journeyId(), command.personId(), command.occurredAt());
        // disclosed as a lapse by the person themself, whatever their goal
        apply(new UseRecorded(journeyId, personId, command.lapseId(), null, command.occurredAt(), command.use(),
                true, true, command.coupleId(), command.partnerPersonId(), command.now()));
    }

    private void start(String journeyId, String personId, Instant since) {
        if (this.journeyId == null) {
            apply(new JourneyStarted(journeyId, personId, since));
        }
    }

    private boolean countsAgainstGoal(Use use) {
        if (goal == null || goal.substances().isEmpty() || use.substances().isEmpty()) {
            return true;
        }
        return use.substances().stream().anyMatch(goal.substances()::contains);
    }

    /** The highest milestone already celebrated in the run that started at {@code runStart}. */
    private int milestonesPassedIn(Instant runStart) {
        return runStart.equals(milestoneRunStart) ? milestonePassed : 0;
    }

    /** The highest milestone of the current run of days without use that was not celebrated yet, if any. */
    private void celebrate(Instant now, String coupleId, String partnerPersonId) {
        Instant runStart = Streaks.streakStart(countingSince, countedUses);
        int passed = milestonesPassedIn(runStart);
        int days = (int) Duration.between(runStart, now).toDays();
        Milestones.highestReached(passed, days).ifPresent(milestone -> apply(new MilestoneReached(journeyId, personId,
                UUID.nameUUIDFromBytes((journeyId + "/" + runStart + "/" + milestone).getBytes(StandardCharsets.UTF_8)).toString(),
                milestone, goal == null ? null : goal.kind(), runStart, now, coupleId, partnerPersonId,
                goal != null && goal.shareProgressWithPartner() && partnerPersonId != null)));
    }

    @EventSourcingHandler
    void on(JourneyStarted event) {
        journeyId = event.journeyId();
        personId = event.personId();
        countingSince = event.countingSince();
    }

    @EventSourcingHandler
    void on(GoalSet event) {
        goal = event.kind() == null ? null : event; // null once its person was erased
        handled.add(event.requestId());
    }

    @EventSourcingHandler
    void on(UseRecorded event) {
        handled.add(event.useId());
        if (event.countsAgainstGoal()) {
            countedUses.add(event.occurredAt());
        }
    }

    @EventSourcingHandler
    void on(MilestoneReached event) {
        milestoneRunStart = event.streakStartedAt();
        milestonePassed = event.days();
    }
}
