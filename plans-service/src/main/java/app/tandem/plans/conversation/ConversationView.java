package app.tandem.plans.conversation;

import app.tandem.plans.conversation.ConversationCommands.Preparation;
import app.tandem.plans.conversation.ConversationCommands.Stage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A conversation as its aggregate knows it; the edge decides what each partner is shown. */
public record ConversationView(String conversationId, String coupleId, String preparedBy, String partner, Stage stage,
                               Preparation preparation, String lapseId, Instant preparedAt, Proposal proposal,
                               String awaitingAnswerFrom, List<ConversationStep> steps, Map<String, Instant> doneSteps) {

    /** A time and place proposed; the place is ciphertext under {@code placeAuthor}'s key (empty when none). */
    public record Proposal(Instant time, String encryptedPlace, String placeAuthor, String proposedBy) {
    }

    /** Its author sees it from the start; the partner once invited. */
    public boolean visibleTo(String personId) {
        return personId.equals(preparedBy) || personId.equals(partner) && stage != Stage.PREPARED;
    }
}
