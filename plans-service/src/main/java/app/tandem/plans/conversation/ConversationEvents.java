package app.tandem.plans.conversation;

import app.tandem.plans.conversation.ConversationCommands.Preparation;
import app.tandem.platform.privacy.PersonalFacts;

import java.time.Instant;
import java.util.List;

/**
 * Stored domain events of one conversation. Text is ciphertext under its writer's key; the preparation is only ever
 * shown to the one who prepared it. What they want from it (to apologise, to be heard) is sealed with its texts under
 * their key in the store, and null once they were erased.
 */
public final class ConversationEvents {

    private ConversationEvents() {
    }

    public record ConversationPrepared(String conversationId, String coupleId, String preparedByPersonId, String partnerPersonId,
                                       @PersonalFacts(owner = "preparedByPersonId") Preparation preparation, String lapseId,
                                       Instant preparedAt) {
    }

    /** The partner is asked; the place is ciphertext under the inviter's key. */
    public record ConversationInvited(String conversationId, String coupleId, String invitedByPersonId, String invitedPersonId,
                                      Instant time, String encryptedPlace, Instant invitedAt) {
    }

    /** Another time (and place, under {@code placeAuthor}'s key) proposed; the other partner is to answer it. */
    public record ConversationTimeProposed(String conversationId, String coupleId, String proposedByPersonId,
                                           String awaitingPersonId, Instant time, String encryptedPlace, String placeAuthor,
                                           String idempotencyKey, Instant proposedAt) {
    }

    public record ConversationTimeAgreed(String conversationId, String coupleId, String acceptedByPersonId,
                                         String proposedByPersonId, Instant time, String idempotencyKey, Instant acceptedAt) {
    }

    /** Declined, with no reason asked or kept. */
    public record ConversationDeclined(String conversationId, String coupleId, String declinedByPersonId,
                                       String proposedByPersonId, String idempotencyKey, Instant declinedAt) {
    }

    /** After the talk, the steps they agreed, each a task of its owner. */
    public record AgreedStepsRecorded(String conversationId, String coupleId, String recordedByPersonId, String partnerPersonId,
                                      List<ConversationStep> steps, String idempotencyKey, Instant recordedAt) {
    }

    public record ConversationStepCompleted(String conversationId, String coupleId, String stepId, String personId,
                                            Instant completedAt) {
    }
}
