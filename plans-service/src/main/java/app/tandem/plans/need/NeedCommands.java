package app.tandem.plans.need;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A need one partner tells the other, and the answer. Text arrives already encrypted with the author's key. */
public final class NeedCommands {

    private NeedCommands() {
    }

    public record ExpressNeed(@TargetAggregateIdentifier String needId, String coupleId, String personId, String partnerId,
                              Kind kind, String encryptedText, Instant now) {
    }

    public record AnswerNeed(@TargetAggregateIdentifier String needId, String personId, Answer answer, Instant now) {
    }

    public enum Kind {
        FROM_YOU_THIS_WEEK, FOR_MYSELF
    }

    public enum Answer {
        I_CAN_DO_THAT, LETS_TALK_ABOUT_IT
    }
}
