package app.tandem.journal.progress;

import app.tandem.journal.couple.CoupleCommands.NoteJournalActivity;
import app.tandem.journal.entry.EntryContent;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.progress.ProgressCommands.NoteCheckIn;
import app.tandem.journal.progress.ProgressCommands.Use;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Carries every check-in to its author's journey (uses, lapses, milestones) and to the couple (couple milestones).
 * A tracking processor whose failures are retried, never skipped; both commands are idempotent, so a check-in
 * handled twice counts once. It never replays: a reset must not celebrate anything a second time.
 */
@Component
@ProcessingGroup(ProgressTracker.PROCESSOR)
@DisallowReplay
public class ProgressTracker {

    public static final String PROCESSOR = "progress";

    private final CommandGateway commands;

    public ProgressTracker(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(CheckInRecorded event) {
        EntryContent.CheckIn content = event.content();
        EntryContent.UseDetails use = content.use();
        commands.sendAndWait(new NoteCheckIn(Journey.idOf(event.authorPersonId()), event.authorPersonId(), event.entryId(),
                event.coupleId(), event.partnerPersonId(), content.visibility().sharedWithPartner(), event.occurredAt(),
                event.recordedAt(), content.used(), new Use(use.substances(), use.usedAlone(), use.naloxoneAtHand())));
        if (event.partnerPersonId() != null) {
            commands.sendAndWait(new NoteJournalActivity(event.coupleId(), event.recordedAt()));
        }
    }
}
