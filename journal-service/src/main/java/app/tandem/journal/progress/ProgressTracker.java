package app.tandem.journal.progress;

import app.tandem.journal.entry.EntryContent;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.progress.ProgressCommands.NoteCheckIn;
import app.tandem.journal.progress.ProgressCommands.Use;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Carries every check-in to its author's journey (uses, lapses, milestones); couple milestones come on their own
 * daily schedule ({@link CoupleMilestoneSchedule}), never with a check-in.
 * A tracking processor whose failures are retried, never skipped; its command is idempotent, so a check-in
 * handled twice counts once. It never replays: a reset of its processor rebuilds {@link MilestonesDue} and must
 * not celebrate anything a second time.
 *
 * <p>Milestones are days: a check-in without use is sent only once {@link MilestonesDue} says the next milestone
 * can have come, or when it knows nothing of the journey yet.
 */
@Component
@ProcessingGroup(ProgressTracker.PROCESSOR)
@DisallowReplay
public class ProgressTracker {

    public static final String PROCESSOR = "progress";

    private final CommandGateway commands;
    private final MilestonesDue milestonesDue;

    public ProgressTracker(CommandGateway commands, MilestonesDue milestonesDue) {
        this.commands = commands;
        this.milestonesDue = milestonesDue;
    }

    @EventHandler
    void on(CheckInRecorded event) {
        if (event.erased()) {
            return;
        }
        EntryContent.CheckIn content = event.content();
        EntryContent.UseDetails use = content.use();
        String journeyId = Journey.idOf(event.authorPersonId());
        Map<String, MilestonesDue.Due> due = milestonesDue.of(List.of(journeyId));
        if (content.used() || reached(due.get(journeyId), event)) {
            commands.sendAndWait(new NoteCheckIn(journeyId, event.authorPersonId(), event.entryId(),
                    event.coupleId(), event.partnerPersonId(), content.visibility().sharedWithPartner(), event.occurredAt(),
                    event.recordedAt(), content.used(), new Use(use.substances(), use.usedAlone(), use.naloxoneAtHand())));
        }
    }

    private static boolean reached(MilestonesDue.Due due, CheckInRecorded event) {
        return due == null || due.reachedBy(event.recordedAt());
    }
}
