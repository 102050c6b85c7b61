package app.tandem.plans.conversation;

import java.time.Instant;

/** A next step agreed in a conversation; its text is ciphertext under the key of the partner who recorded it. */
public record ConversationStep(String stepId, String encryptedText, String textAuthor, String ownerPersonId, Instant dueAt) {
}
