package app.tandem.journal.progress;

import app.tandem.journal.progress.ProgressCommands.Use;

import app.tandem.platform.privacy.PersonalFacts;

import java.time.Instant;
import java.util.List;

/** Stored domain events of a person's journey. Goals and uses are sealed under the person's key, null once erased. */
public final class ProgressEvents {

    private ProgressEvents() {
    }

    /** From here on days without use are counted: the first goal or the first check-in. */
    public record JourneyStarted(String journeyId, String personId, Instant countingSince) {
    }

    public record GoalSet(String journeyId, String personId, String requestId, @PersonalFacts(owner = "personId") GoalKind kind,
                          @PersonalFacts(owner = "personId") List<Substance> substances,
                          boolean shareProgressWithPartner, Instant setAt) {
    }

    /**
     * A reported use. {@code countsAgainstGoal}: it ends the days without use (a substance of concern, or no goal
     * narrowing it). {@code lapse}: against an abstinence goal, or disclosed as one. {@code disclosedIn} is the couple
     * it was disclosed to, null when it was reported privately.
     */
    public record UseRecorded(String journeyId, String personId, String useId, String checkInId, Instant occurredAt,
                              @PersonalFacts(owner = "personId") Use use,
                              boolean countsAgainstGoal, boolean lapse, String disclosedIn, String partnerPersonId,
                              Instant recordedAt) {
    }

    public record MilestoneReached(String journeyId, String personId, String milestoneId, int days, GoalKind goalKind,
                                   Instant streakStartedAt, Instant reachedAt, String coupleId, String partnerPersonId,
                                   boolean sharedWithPartner) {
    }
}
