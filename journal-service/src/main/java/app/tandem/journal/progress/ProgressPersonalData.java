package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressEvents.GoalSet;
import app.tandem.journal.progress.ProgressEvents.JourneyStarted;
import app.tandem.journal.progress.ProgressEvents.MilestoneReached;
import app.tandem.journal.progress.ProgressEvents.UseRecorded;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's journey: when counting began, every goal they set, every use they reported (privately too: it is theirs),
 * every milestone. Read from the journey's events, which hold more than the views (every goal, not only the latest
 * kinds; what each use was); erasure clears the views built from them.
 */
@Component
public class ProgressPersonalData implements PersonalData {

    private final EventStore events;
    private final ProgressView progress;
    private final DisclosedLapses lapses;
    private final MilestonesDue milestonesDue;

    public ProgressPersonalData(EventStore events, ProgressView progress, DisclosedLapses lapses, MilestonesDue milestonesDue) {
        this.events = events;
        this.progress = progress;
        this.lapses = lapses;
        this.milestonesDue = milestonesDue;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        DomainEventStream stream = events.readEvents(Journey.idOf(personId));
        while (stream.hasNext()) {
            Object event = stream.next().getPayload();
            Map<String, Object> fields = new LinkedHashMap<>();
            if (event instanceof JourneyStarted started) {
                fields.put("countingSince", StoredFields.time(started.countingSince()));
                export.item("journey", started.journeyId(), fields);
            } else if (event instanceof GoalSet goal) {
                fields.put("kind", goal.kind().name());
                fields.put("substances", goal.substances().stream().map(Enum::name).toList());
                fields.put("shareProgressWithPartner", goal.shareProgressWithPartner());
                fields.put("setAt", StoredFields.time(goal.setAt()));
                export.item("goal", goal.requestId(), fields);
            } else if (event instanceof UseRecorded use) {
                fields.put("occurredAt", StoredFields.time(use.occurredAt()));
                fields.put("recordedAt", StoredFields.time(use.recordedAt()));
                fields.put("substances", use.use().substances().stream().map(Enum::name).toList());
                fields.put("usedAlone", use.use().usedAlone());
                fields.put("naloxoneAtHand", use.use().naloxoneAtHand());
                fields.put("checkInId", use.checkInId());
                fields.put("countsAgainstGoal", use.countsAgainstGoal());
                fields.put("lapse", use.lapse());
                fields.put("disclosedToCouple", use.disclosedIn());
                export.item(use.checkInId() == null ? "lapse-disclosure" : "use", use.useId(), fields);
            } else if (event instanceof MilestoneReached milestone) {
                fields.put("days", milestone.days());
                fields.put("goalKind", milestone.goalKind() == null ? null : milestone.goalKind().name());
                fields.put("streakStartedAt", StoredFields.time(milestone.streakStartedAt()));
                fields.put("reachedAt", StoredFields.time(milestone.reachedAt()));
                fields.put("sharedWithPartner", milestone.sharedWithPartner());
                export.item("milestone", milestone.milestoneId(), fields);
            }
        }
    }

    @Override
    public void erase(String personId) {
        progress.erase(personId);
        lapses.erase(personId);
        milestonesDue.erase(Journey.idOf(personId));
    }
}
