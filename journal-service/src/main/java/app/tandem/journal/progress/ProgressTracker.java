package app.tandem.journal.progress;

import app.tandem.journal.couple.CoupleCommands.NoteJournalActivity;
import app.tandem.journal.couple.CoupleEvents.PartnerJoined;
import app.tandem.journal.couple.CoupleEvents.PartnerLeft;
import app.tandem.journal.entry.EntryContent;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.progress.ProgressCommands.NoteCheckIn;
import app.tandem.journal.progress.ProgressCommands.Use;
import app.tandem.journal.progress.ProgressEvents.GoalSet;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries every check-in to its author's journey (uses, lapses, milestones) and to the couple (couple milestones).
 * A tracking processor whose failures are retried, never skipped; both commands are idempotent, so a check-in
 * handled twice counts once. It never replays: a reset must not celebrate anything a second time.
 *
 * <p>Milestones are days, so each journey and couple answers when its next one can fall due, and a check-in
 * without use before that moment is not sent at all. What it remembers is only a shortcut: a use, a lapse
 * disclosed, a new goal or a partner joining or leaving forgets it, and after a restart every first check-in
 * is sent again.
 */
@Component
@ProcessingGroup(ProgressTracker.PROCESSOR)
@DisallowReplay
public class ProgressTracker {

    public static final String PROCESSOR = "progress";
    private static final int REMEMBERED = 100_000;

    private final CommandGateway commands;
    private final Map<String, Instant> journeyQuietUntil = new ConcurrentHashMap<>();
    private final Map<String, Instant> coupleQuietUntil = new ConcurrentHashMap<>();

    public ProgressTracker(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(CheckInRecorded event) {
        EntryContent.CheckIn content = event.content();
        EntryContent.UseDetails use = content.use();
        String journeyId = Journey.idOf(event.authorPersonId());
        if (content.used() || !quiet(journeyQuietUntil, journeyId, event.recordedAt())) {
            Instant nextDue = commands.sendAndWait(new NoteCheckIn(journeyId, event.authorPersonId(), event.entryId(),
                    event.coupleId(), event.partnerPersonId(), content.visibility().sharedWithPartner(), event.occurredAt(),
                    event.recordedAt(), content.used(), new Use(use.substances(), use.usedAlone(), use.naloxoneAtHand())));
            remember(journeyQuietUntil, journeyId, nextDue);
        }
        if (event.partnerPersonId() != null && !quiet(coupleQuietUntil, event.coupleId(), event.recordedAt())) {
            remember(coupleQuietUntil, event.coupleId(), commands.sendAndWait(new NoteJournalActivity(event.coupleId(), event.recordedAt())));
        }
    }

    // A lapse disclosed outside a check-in, or a new goal, starts another run: its next milestone may come sooner.
    @EventHandler
    void on(UseRecorded event) {
        journeyQuietUntil.remove(event.journeyId());
    }

    @EventHandler
    void on(GoalSet event) {
        journeyQuietUntil.remove(event.journeyId());
    }

    @EventHandler
    void on(PartnerJoined event) {
        coupleQuietUntil.remove(event.coupleId());
    }

    @EventHandler
    void on(PartnerLeft event) {
        coupleQuietUntil.remove(event.coupleId());
    }

    private static boolean quiet(Map<String, Instant> quietUntil, String id, Instant at) {
        Instant until = quietUntil.get(id);
        return until != null && at.isBefore(until);
    }

    private static void remember(Map<String, Instant> quietUntil, String id, Instant until) {
        if (until == null) {
            quietUntil.remove(id);
            return;
        }
        if (quietUntil.size() >= REMEMBERED) {
            quietUntil.clear(); // a shortcut only: forgetting costs one more command per journey or couple
        }
        quietUntil.put(id, until);
    }
}
