package app.tandem.plans.conversation;

import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.grpc.Timestamps;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The agreed steps of the conversations a partner may see, each read from its conversation's own events. */
@Component
public class ConversationSteps {

    /** A step of a conversation; {@code doneAt} is null while it is not done. */
    public record AgreedStep(String conversationId, ConversationStep step, Instant doneAt) {
    }

    private final ConversationIndex index;
    private final Aggregates aggregates;
    private final Repository<Conversation> conversations;
    private final ReadYourWrites readYourWrites;

    public ConversationSteps(ConversationIndex index, Aggregates aggregates, Repository<Conversation> conversations,
                             ReadYourWrites readYourWrites) {
        this.index = index;
        this.aggregates = aggregates;
        this.conversations = conversations;
        this.readYourWrites = readYourWrites;
    }

    public List<AgreedStep> seenBy(String personId, String coupleId) {
        readYourWrites.awaitProjection(ConversationIndex.PROCESSOR);
        List<AgreedStep> steps = new ArrayList<>();
        for (String conversationId : index.visibleTo(personId, coupleId)) {
            aggregates.read(conversations, conversationId, c -> c.visibleTo(personId) ? c.view() : null).ifPresent(view ->
                    view.steps().forEach(step -> steps.add(new AgreedStep(conversationId, step, view.doneSteps().get(step.stepId())))));
        }
        return steps;
    }

    /** A step as the API shows it, with its text already decrypted. */
    public static app.tandem.api.v1.ConversationStep toProto(ConversationStep step, Instant doneAt, String text) {
        app.tandem.api.v1.ConversationStep.Builder result = app.tandem.api.v1.ConversationStep.newBuilder()
                .setStepId(step.stepId())
                .setText(text)
                .setOwnerPersonId(step.ownerPersonId())
                .setDueAt(Timestamps.of(step.dueAt()))
                .setDone(doneAt != null);
        if (doneAt != null) {
            result.setDoneAt(Timestamps.of(doneAt));
        }
        return result.build();
    }
}
