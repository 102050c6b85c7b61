package app.tandem.plans.conversation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;

/** What partners ask of a conversation. Text arrives already encrypted with the actor's key. */
public final class ConversationCommands {

    private ConversationCommands() {
    }

    public record PrepareConversation(@TargetAggregateIdentifier String conversationId, String coupleId, String preparedBy,
                                      String partner, Preparation preparation, String lapseId, Instant now) {
    }

    public record InviteToConversation(@TargetAggregateIdentifier String conversationId, String personId, Instant time,
                                       String encryptedPlace, Instant now) {
    }

    /** {@code time} and {@code encryptedPlace} only for {@link Answer#PROPOSE_ANOTHER_TIME}; no place keeps the last one. */
    public record AnswerConversation(@TargetAggregateIdentifier String conversationId, String personId, String idempotencyKey,
                                     Answer answer, Instant time, String encryptedPlace, Instant now) {
    }

    public record RecordAgreedSteps(@TargetAggregateIdentifier String conversationId, String personId, String idempotencyKey,
                                    List<AgreedStep> steps, Instant now) {
    }

    public record CompleteConversationStep(@TargetAggregateIdentifier String conversationId, String personId, String stepId,
                                           Instant now) {
    }

    public record AgreedStep(String encryptedText, String ownerPersonId, Instant dueAt) {
    }

    public enum Intention {
        APOLOGISE, UNDERSTAND, AGREE_A_PLAN, BE_HEARD
    }

    /** What its author prepared alone; texts are ciphertext under the author's key. */
    public record Preparation(List<Intention> intentions, List<String> encryptedPoints, String encryptedNeed,
                              String encryptedSupport) {

        boolean isEmpty() {
            return intentions.isEmpty() && encryptedPoints.isEmpty();
        }
    }

    public enum Answer {
        ACCEPT, PROPOSE_ANOTHER_TIME, DECLINE
    }

    public enum Stage {
        PREPARED, INVITED, AGREED, DECLINED, HELD
    }
}
