package app.tandem.plans.conversation;

import app.tandem.api.v1.AnswerConversationRequest;
import app.tandem.api.v1.CompleteConversationStepRequest;
import app.tandem.api.v1.ConversationAnswer;
import app.tandem.api.v1.ConversationIntention;
import app.tandem.api.v1.ConversationPreparation;
import app.tandem.api.v1.ConversationStage;
import app.tandem.api.v1.InviteToConversationRequest;
import app.tandem.api.v1.ListConversationsRequest;
import app.tandem.api.v1.ListConversationsResponse;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.PrepareConversationRequest;
import app.tandem.api.v1.RecordAgreedStepsRequest;
import app.tandem.api.v1.StepOwner;
import app.tandem.plans.conversation.ConversationCommands.AgreedStep;
import app.tandem.plans.conversation.ConversationCommands.Answer;
import app.tandem.plans.conversation.ConversationCommands.AnswerConversation;
import app.tandem.plans.conversation.ConversationCommands.CompleteConversationStep;
import app.tandem.plans.conversation.ConversationCommands.Intention;
import app.tandem.plans.conversation.ConversationCommands.InviteToConversation;
import app.tandem.plans.conversation.ConversationCommands.PrepareConversation;
import app.tandem.plans.conversation.ConversationCommands.Preparation;
import app.tandem.plans.conversation.ConversationCommands.RecordAgreedSteps;
import app.tandem.plans.guidance.Guidance;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.relapse.RelapseResponse;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Conversations at the edge: validates before anything is encrypted or stored, encrypts every text under the
 * writer's key, and shows the preparation to its author alone.
 */
@Service
public class ConversationEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_TEXT_LENGTH = 500;
    public static final int MAX_PLACE_LENGTH = 200;
    public static final int MAX_POINTS = 10;
    public static final int MAX_ID_LENGTH = 100;
    public static final Duration MAX_TIME_AHEAD = Duration.ofDays(60);
    public static final Duration MAX_DUE_AHEAD = Duration.ofDays(90);

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<Conversation> conversations;
    private final Repository<RelapseResponse> responses;
    private final ConversationIndex index;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public ConversationEndpoint(CommandGateway commands, Aggregates aggregates, Repository<Conversation> conversations,
                                Repository<RelapseResponse> responses, ConversationIndex index, CouplePartners couples,
                                PersonalDataCipher cipher, Clock clock, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.aggregates = aggregates;
        this.conversations = conversations;
        this.responses = responses;
        this.index = index;
        this.couples = couples;
        this.cipher = cipher;
        this.clock = clock;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void prepareConversation(PrepareConversationRequest request, StreamObserver<app.tandem.api.v1.Conversation> response) {
        String actor = Caller.current().personId();
        ConversationPreparation preparation = request.getPreparation();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(preparation.getIntentionsCount() + preparation.getPointsCount() > 0, "preparation",
                        "needs at least one intention or point")
                .require(preparation.getIntentionsValueList().stream().allMatch(v -> v != 0 && ConversationIntention.forNumber(v) != null),
                        "preparation.intentions", "must be among the listed intentions")
                .require(preparation.getPointsCount() <= MAX_POINTS, "preparation.points", "at most " + MAX_POINTS)
                .require(preparation.getPointsList().stream().allMatch(p -> !p.isBlank() && p.length() <= MAX_TEXT_LENGTH),
                        "preparation.points", "each must be 1 to " + MAX_TEXT_LENGTH + " characters")
                .require(preparation.getWhatINeed().length() <= MAX_TEXT_LENGTH, "preparation.what_i_need",
                        "must be at most " + MAX_TEXT_LENGTH + " characters")
                .require(preparation.getSupport().length() <= MAX_TEXT_LENGTH, "preparation.support",
                        "must be at most " + MAX_TEXT_LENGTH + " characters")
                .require(request.getLapseId().length() <= MAX_ID_LENGTH, "lapse_id", "must be at most " + MAX_ID_LENGTH + " characters");
        validation.orThrow();
        CouplePartners.Couple couple = couples.requireSharedBy(request.getCoupleId(), actor);
        String partner = couple.partnerOf(actor);
        String lapseId = request.getLapseId().isEmpty() ? null : request.getLapseId();
        if (lapseId != null) {
            boolean ofThisCouple = aggregates.read(responses, lapseId, RelapseResponse::coupleId).filter(couple.coupleId()::equals).isPresent();
            new Validation().require(ofThisCouple, "lapse_id", "must be a lapse of this couple").orThrow();
        }
        List<Intention> intentions = preparation.getIntentionsList().stream()
                .map(i -> Intention.valueOf(i.name().substring("INTENTION_".length()))).toList();
        Preparation encrypted = new Preparation(intentions, preparation.getPointsList().stream().map(p -> cipher.encrypt(actor, p)).toList(),
                encryptOrEmpty(actor, preparation.getWhatINeed()), encryptOrEmpty(actor, preparation.getSupport()));
        String conversationId = Requests.deterministicId("conversation", actor, request.getIdempotencyKey());
        try {
            commands.sendAndWait(new PrepareConversation(conversationId, couple.coupleId(), actor, partner, encrypted, lapseId,
                    clock.instant()));
        } catch (AggregateStreamCreationException alreadyPrepared) {
            // a retry of a preparation already recorded: answer as the first time
        }
        Unary.reply(response, toProto(load(conversationId, actor), actor));
    }

    @Override
    public void inviteToConversation(InviteToConversationRequest request, StreamObserver<app.tandem.api.v1.Conversation> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getConversationId(), "conversation_id");
        time(validation, request.hasProposedTime(), request.getProposedTime(), now, "proposed_time", MAX_TIME_AHEAD);
        validation.require(request.getPlace().length() <= MAX_PLACE_LENGTH, "place", "must be at most " + MAX_PLACE_LENGTH + " characters")
                .orThrow();
        ConversationView conversation = load(request.getConversationId(), actor);
        couples.requireSharedBy(conversation.coupleId(), actor);
        ConversationView after = commands.sendAndWait(new InviteToConversation(request.getConversationId(), actor,
                Timestamps.toInstant(request.getProposedTime()), encryptOrEmpty(actor, request.getPlace()), now));
        Unary.reply(response, toProto(after, actor));
    }

    @Override
    public void answerConversation(AnswerConversationRequest request, StreamObserver<app.tandem.api.v1.Conversation> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        boolean proposing = request.getAnswer() == ConversationAnswer.CONVERSATION_PROPOSE_ANOTHER_TIME;
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getConversationId(), "conversation_id")
                .require(request.getAnswerValue() != 0 && ConversationAnswer.forNumber(request.getAnswerValue()) != null, "answer",
                        "must accept, propose another time or decline");
        if (proposing) {
            time(validation, request.hasProposedTime(), request.getProposedTime(), now, "proposed_time", MAX_TIME_AHEAD);
        } else {
            validation.require(!request.hasProposedTime(), "proposed_time", "is only for proposing another time")
                    .require(request.getPlace().isEmpty(), "place", "is only for proposing another time");
        }
        validation.require(request.getPlace().length() <= MAX_PLACE_LENGTH, "place", "must be at most " + MAX_PLACE_LENGTH + " characters")
                .orThrow();
        ConversationView conversation = load(request.getConversationId(), actor);
        couples.requireSharedBy(conversation.coupleId(), actor);
        Answer answer = switch (request.getAnswer()) {
            case CONVERSATION_ACCEPT -> Answer.ACCEPT;
            case CONVERSATION_DECLINE -> Answer.DECLINE;
            default -> Answer.PROPOSE_ANOTHER_TIME;
        };
        ConversationView after = commands.sendAndWait(new AnswerConversation(request.getConversationId(), actor,
                request.getIdempotencyKey(), answer, proposing ? Timestamps.toInstant(request.getProposedTime()) : null,
                proposing ? encryptOrEmpty(actor, request.getPlace()) : null, now));
        Unary.reply(response, toProto(after, actor));
    }

    @Override
    public void recordAgreedSteps(RecordAgreedStepsRequest request, StreamObserver<app.tandem.api.v1.Conversation> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Validation validation = new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getConversationId(), "conversation_id")
                .require(request.getStepsCount() >= 1 && request.getStepsCount() <= Conversation.MAX_STEPS, "steps",
                        "must be 1 to " + Conversation.MAX_STEPS);
        for (app.tandem.api.v1.AgreedStep step : request.getStepsList()) {
            validation.requireText(step.getText(), "steps.text", MAX_TEXT_LENGTH)
                    .require(step.getOwnerValue() != 0 && StepOwner.forNumber(step.getOwnerValue()) != null, "steps.owner",
                            "must be you or your partner");
            time(validation, step.hasDueAt(), step.getDueAt(), now, "steps.due_at", MAX_DUE_AHEAD);
        }
        validation.orThrow();
        ConversationView conversation = load(request.getConversationId(), actor);
        String partner = couples.requireSharedBy(conversation.coupleId(), actor).partnerOf(actor);
        List<AgreedStep> steps = new ArrayList<>();
        for (app.tandem.api.v1.AgreedStep step : request.getStepsList()) {
            steps.add(new AgreedStep(cipher.encrypt(actor, step.getText()), step.getOwner() == StepOwner.STEP_OWNER_ME ? actor : partner,
                    Timestamps.toInstant(step.getDueAt())));
        }
        ConversationView after = commands.sendAndWait(new RecordAgreedSteps(request.getConversationId(), actor,
                request.getIdempotencyKey(), steps, now));
        Unary.reply(response, toProto(after, actor));
    }

    @Override
    public void completeConversationStep(CompleteConversationStepRequest request, StreamObserver<app.tandem.api.v1.Conversation> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getConversationId(), "conversation_id")
                .requireText(request.getStepId(), "step_id", MAX_ID_LENGTH)
                .orThrow();
        ConversationView conversation = load(request.getConversationId(), actor);
        couples.requireSharedBy(conversation.coupleId(), actor);
        ConversationView after = commands.sendAndWait(new CompleteConversationStep(request.getConversationId(), actor,
                request.getStepId(), clock.instant()));
        Unary.reply(response, toProto(after, actor));
    }

    @Override
    public void listConversations(ListConversationsRequest request, StreamObserver<ListConversationsResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id")
                .require(Guidance.isLocale(request.getLocale()), "locale", "must be a BCP 47 language tag such as en-GB")
                .orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        Locale locale = Guidance.locale(request.getLocale());
        readYourWrites.awaitProjection(ConversationIndex.PROCESSOR);
        ListConversationsResponse.Builder result = ListConversationsResponse.newBuilder();
        for (String conversationId : index.visibleTo(actor, request.getCoupleId())) {
            aggregates.read(conversations, conversationId, c -> c.visibleTo(actor) ? c.view() : null)
                    .ifPresent(view -> result.addConversations(toProto(view, actor, locale)));
        }
        Unary.reply(response, result.build());
    }

    /** The conversation from its own events; anyone it is not (yet) visible to is told it does not exist. */
    private ConversationView load(String conversationId, String actor) {
        return aggregates.read(conversations, conversationId, c -> c.visibleTo(actor) ? c.view() : null)
                .orElseThrow(() -> new NotFound("no such conversation"));
    }

    private static void time(Validation validation, boolean present, Timestamp time, Instant now, String field, Duration ahead) {
        boolean valid = present && Timestamps.isValid(time);
        Instant at = valid ? Timestamps.toInstant(time) : null;
        validation.require(valid && at.isAfter(now) && !at.isAfter(now.plus(ahead)), field,
                "must be in the future and at most " + ahead.toDays() + " days ahead");
    }

    private String encryptOrEmpty(String personId, String text) {
        return text.isEmpty() ? "" : cipher.encrypt(personId, text);
    }

    /** An erased author's words stay unreadable. */
    private String text(String author, String encrypted) {
        return encrypted == null || encrypted.isEmpty() ? "" : cipher.decrypt(author, encrypted).orElse("");
    }

    private app.tandem.api.v1.Conversation toProto(ConversationView view, String actor) {
        return toProto(view, actor, Locale.ENGLISH);
    }

    private app.tandem.api.v1.Conversation toProto(ConversationView view, String actor, Locale locale) {
        app.tandem.api.v1.Conversation.Builder result = app.tandem.api.v1.Conversation.newBuilder()
                .setGuidance(Guidance.forConversation(view.stage().name(), locale))
                .setConversationId(view.conversationId())
                .setCoupleId(view.coupleId())
                .setPreparedByPersonId(view.preparedBy())
                .setStage(ConversationStage.valueOf("CONVERSATION_" + view.stage().name()))
                .setPreparedAt(Timestamps.of(view.preparedAt()))
                .setAwaitingAnswerFromPersonId(Objects.requireNonNullElse(view.awaitingAnswerFrom(), ""))
                .setLapseId(Objects.requireNonNullElse(view.lapseId(), ""));
        if (view.proposal() != null) {
            result.setProposedTime(Timestamps.of(view.proposal().time()))
                    .setPlace(text(view.proposal().placeAuthor(), view.proposal().encryptedPlace()))
                    .setProposedByPersonId(view.proposal().proposedBy());
        }
        if (actor.equals(view.preparedBy()) && view.preparation() != null) {
            Preparation preparation = view.preparation();
            result.setPreparation(ConversationPreparation.newBuilder()
                    .addAllIntentions(preparation.intentions().stream().map(i -> ConversationIntention.valueOf("INTENTION_" + i.name())).toList())
                    .addAllPoints(preparation.encryptedPoints().stream().map(p -> text(view.preparedBy(), p)).toList())
                    .setWhatINeed(text(view.preparedBy(), preparation.encryptedNeed()))
                    .setSupport(text(view.preparedBy(), preparation.encryptedSupport())));
        }
        for (ConversationStep step : view.steps()) {
            result.addSteps(ConversationSteps.toProto(step, view.doneSteps().get(step.stepId()), text(step.textAuthor(), step.encryptedText())));
        }
        return result.build();
    }
}
