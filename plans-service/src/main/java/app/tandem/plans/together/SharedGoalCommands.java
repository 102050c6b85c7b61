package app.tandem.plans.together;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A goal the couple sets together beyond use. Its title arrives already encrypted with its writer's key. */
public final class SharedGoalCommands {

    private SharedGoalCommands() {
    }

    public record ProposeSharedGoal(@TargetAggregateIdentifier String goalId, String coupleId, String personId, String partnerId,
                                    Kind kind, String encryptedTitle, Rhythm rhythm, Instant now) {
    }

    public record AnswerSharedGoal(@TargetAggregateIdentifier String goalId, String personId, Answer answer, Instant now) {
    }

    /** Done by {@code personId} in the week of {@code now}; {@code markId} names the request, so a retry is the same mark. */
    public record MarkSharedGoalDone(@TargetAggregateIdentifier String goalId, String personId, String markId, Instant now) {
    }

    public record RetireSharedGoal(@TargetAggregateIdentifier String goalId, String personId, Instant now) {
    }

    public enum Kind {
        ACTIVITY_TOGETHER, HOBBY, HEALTH_HABIT, OTHER
    }

    public enum Rhythm {
        WEEKLY
    }

    public enum Answer {
        AGREE, DECLINE
    }

    public enum Stage {
        PROPOSED, AGREED, DECLINED, RETIRED
    }
}
