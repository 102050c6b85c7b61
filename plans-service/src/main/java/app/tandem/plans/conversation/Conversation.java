package app.tandem.plans.conversation;

import app.tandem.plans.conversation.ConversationCommands.AgreedStep;
import app.tandem.plans.conversation.ConversationCommands.Answer;
import app.tandem.plans.conversation.ConversationCommands.AnswerConversation;
import app.tandem.plans.conversation.ConversationCommands.CompleteConversationStep;
import app.tandem.plans.conversation.ConversationCommands.InviteToConversation;
import app.tandem.plans.conversation.ConversationCommands.PrepareConversation;
import app.tandem.plans.conversation.ConversationCommands.Preparation;
import app.tandem.plans.conversation.ConversationCommands.RecordAgreedSteps;
import app.tandem.plans.conversation.ConversationCommands.Stage;
import app.tandem.plans.conversation.ConversationEvents.AgreedStepsRecorded;
import app.tandem.plans.conversation.ConversationEvents.ConversationDeclined;
import app.tandem.plans.conversation.ConversationEvents.ConversationInvited;
import app.tandem.plans.conversation.ConversationEvents.ConversationPrepared;
import app.tandem.plans.conversation.ConversationEvents.ConversationStepCompleted;
import app.tandem.plans.conversation.ConversationEvents.ConversationTimeAgreed;
import app.tandem.plans.conversation.ConversationEvents.ConversationTimeProposed;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A hard conversation one partner prepares alone, then invites the other to: a time and place go back and forth until
 * one is accepted (or the invitation is declined, without a reason); after the talk either partner records the steps
 * they agreed, each a task of its owner with a due date.
 */
@Aggregate
public class Conversation {

    public static final int MAX_STEPS = 10;

    @AggregateIdentifier
    private String conversationId;
    private String coupleId;
    private String preparedBy;
    private String partner;
    private Stage stage;
    private Preparation preparation;
    private String lapseId;
    private Instant preparedAt;
    private ConversationView.Proposal proposal;
    private String awaitingAnswerFrom;
    private final List<ConversationStep> steps = new ArrayList<>();
    private final Map<String, Instant> doneSteps = new LinkedHashMap<>();
    private final Set<String> answeredKeys = new HashSet<>();

    protected Conversation() {
        // for Axon
    }

    @CommandHandler
    public Conversation(PrepareConversation command) {
        new Validation()
                .require(command.preparation() != null && !command.preparation().isEmpty(), "preparation",
                        "needs at least one intention or point")
                .require(!command.preparedBy().equals(command.partner()), "couple_id", "must be a couple with two partners")
                .orThrow();
        apply(new ConversationPrepared(command.conversationId(), command.coupleId(), command.preparedBy(), command.partner(),
                command.preparation(), command.lapseId(), command.now()));
    }

    @CommandHandler
    public ConversationView handle(InviteToConversation command) {
        requirePartner(command.personId());
        if (!command.personId().equals(preparedBy)) {
            throw new AccessDenied("only the one who prepared a conversation invites to it");
        }
        if (stage == Stage.INVITED && proposal.proposedBy().equals(preparedBy) && proposal.time().equals(command.time())
                && proposal.encryptedPlace().isEmpty() == command.encryptedPlace().isEmpty()) {
            return view(); // a retried invitation
        }
        if (stage != Stage.PREPARED) {
            throw new RuleViolation("the invitation has already been sent");
        }
        requireFuture(command.time(), command.now());
        apply(new ConversationInvited(conversationId, coupleId, preparedBy, partner, command.time(), command.encryptedPlace(),
                command.now()));
        return view();
    }

    @CommandHandler
    public ConversationView handle(AnswerConversation command) {
        requirePartner(command.personId());
        if (answeredKeys.contains(command.idempotencyKey())) {
            return view();
        }
        if (stage != Stage.INVITED) {
            throw new RuleViolation("there is no proposed time waiting for an answer");
        }
        if (!command.personId().equals(awaitingAnswerFrom)) {
            throw new RuleViolation("the time you proposed waits for your partner's answer");
        }
        String other = otherThan(command.personId());
        switch (command.answer()) {
            case ACCEPT -> apply(new ConversationTimeAgreed(conversationId, coupleId, command.personId(), other, proposal.time(),
                    command.idempotencyKey(), command.now()));
            case DECLINE -> apply(new ConversationDeclined(conversationId, coupleId, command.personId(), other,
                    command.idempotencyKey(), command.now()));
            case PROPOSE_ANOTHER_TIME -> {
                requireFuture(command.time(), command.now());
                boolean newPlace = command.encryptedPlace() != null && !command.encryptedPlace().isEmpty();
                apply(new ConversationTimeProposed(conversationId, coupleId, command.personId(), other, command.time(),
                        newPlace ? command.encryptedPlace() : proposal.encryptedPlace(),
                        newPlace ? command.personId() : proposal.placeAuthor(), command.idempotencyKey(), command.now()));
            }
        }
        return view();
    }

    @CommandHandler
    public ConversationView handle(RecordAgreedSteps command) {
        requirePartner(command.personId());
        if (answeredKeys.contains(command.idempotencyKey())) {
            return view();
        }
        if (stage == Stage.HELD) {
            throw new RuleViolation("the steps of this conversation are already recorded");
        }
        if (stage != Stage.AGREED) {
            throw new RuleViolation("steps are recorded after a conversation whose time was agreed");
        }
        if (command.now().isBefore(proposal.time())) {
            throw new RuleViolation("the conversation's time has not come yet");
        }
        Validation validation = new Validation()
                .require(!command.steps().isEmpty() && command.steps().size() <= MAX_STEPS, "steps", "must be 1 to " + MAX_STEPS);
        for (AgreedStep step : command.steps()) {
            validation.require(step.encryptedText() != null && !step.encryptedText().isEmpty(), "steps.text", "is required")
                    .require(step.ownerPersonId() != null && (step.ownerPersonId().equals(preparedBy) || step.ownerPersonId().equals(partner)),
                            "steps.owner", "must be one of the partners")
                    .require(step.dueAt() != null && step.dueAt().isAfter(command.now()), "steps.due_at", "must be in the future");
        }
        validation.orThrow();
        List<ConversationStep> agreed = new ArrayList<>();
        for (AgreedStep step : command.steps()) {
            agreed.add(new ConversationStep("step-" + (agreed.size() + 1), step.encryptedText(), command.personId(),
                    step.ownerPersonId(), step.dueAt()));
        }
        apply(new AgreedStepsRecorded(conversationId, coupleId, command.personId(), otherThan(command.personId()), agreed,
                command.idempotencyKey(), command.now()));
        return view();
    }

    @CommandHandler
    public ConversationView handle(CompleteConversationStep command) {
        requirePartner(command.personId());
        ConversationStep step = steps.stream().filter(s -> s.stepId().equals(command.stepId())).findFirst()
                .orElseThrow(() -> new NotFound("no such step"));
        if (!step.ownerPersonId().equals(command.personId())) {
            throw new AccessDenied("only its owner marks a step done");
        }
        if (!doneSteps.containsKey(step.stepId())) {
            apply(new ConversationStepCompleted(conversationId, coupleId, step.stepId(), command.personId(), command.now()));
        }
        return view();
    }

    private static void requireFuture(Instant time, Instant now) {
        new Validation().require(time != null && time.isAfter(now), "proposed_time", "must be in the future").orThrow();
    }

    private void requirePartner(String personId) {
        if (!personId.equals(preparedBy) && !personId.equals(partner)) {
            throw new AccessDenied("not a partner in this couple");
        }
    }

    private String otherThan(String personId) {
        return personId.equals(preparedBy) ? partner : preparedBy;
    }

    public boolean visibleTo(String personId) {
        return view().visibleTo(personId);
    }

    public ConversationView view() {
        return new ConversationView(conversationId, coupleId, preparedBy, partner, stage, preparation, lapseId, preparedAt, proposal,
                awaitingAnswerFrom, List.copyOf(steps), Map.copyOf(doneSteps));
    }

    @EventSourcingHandler
    void on(ConversationPrepared event) {
        conversationId = event.conversationId();
        coupleId = event.coupleId();
        preparedBy = event.preparedByPersonId();
        partner = event.partnerPersonId();
        preparation = event.preparation();
        lapseId = event.lapseId();
        preparedAt = event.preparedAt();
        stage = Stage.PREPARED;
    }

    @EventSourcingHandler
    void on(ConversationInvited event) {
        proposal = new ConversationView.Proposal(event.time(), event.encryptedPlace(), event.invitedByPersonId(), event.invitedByPersonId());
        awaitingAnswerFrom = event.invitedPersonId();
        stage = Stage.INVITED;
    }

    @EventSourcingHandler
    void on(ConversationTimeProposed event) {
        proposal = new ConversationView.Proposal(event.time(), event.encryptedPlace(), event.placeAuthor(), event.proposedByPersonId());
        awaitingAnswerFrom = event.awaitingPersonId();
        answeredKeys.add(event.idempotencyKey());
    }

    @EventSourcingHandler
    void on(ConversationTimeAgreed event) {
        stage = Stage.AGREED;
        awaitingAnswerFrom = null;
        answeredKeys.add(event.idempotencyKey());
    }

    @EventSourcingHandler
    void on(ConversationDeclined event) {
        stage = Stage.DECLINED;
        awaitingAnswerFrom = null;
        answeredKeys.add(event.idempotencyKey());
    }

    @EventSourcingHandler
    void on(AgreedStepsRecorded event) {
        steps.addAll(event.steps());
        stage = Stage.HELD;
        answeredKeys.add(event.idempotencyKey());
    }

    @EventSourcingHandler
    void on(ConversationStepCompleted event) {
        doneSteps.put(event.stepId(), event.completedAt());
    }
}
