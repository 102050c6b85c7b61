package app.tandem.plans.together;

import app.tandem.api.v1.AnswerSharedGoalRequest;
import app.tandem.api.v1.ListSharedGoalsRequest;
import app.tandem.api.v1.ListSharedGoalsResponse;
import app.tandem.api.v1.MarkSharedGoalDoneRequest;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.ProposeSharedGoalRequest;
import app.tandem.api.v1.RetireSharedGoalRequest;
import app.tandem.api.v1.SharedGoalAnswer;
import app.tandem.api.v1.SharedGoalKind;
import app.tandem.api.v1.SharedGoalMark;
import app.tandem.api.v1.SharedGoalRhythm;
import app.tandem.api.v1.SharedGoalStage;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.together.SharedGoalCommands.AnswerSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.Answer;
import app.tandem.plans.together.SharedGoalCommands.Kind;
import app.tandem.plans.together.SharedGoalCommands.MarkSharedGoalDone;
import app.tandem.plans.together.SharedGoalCommands.ProposeSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.RetireSharedGoal;
import app.tandem.plans.together.SharedGoalCommands.Rhythm;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Shared goals at the edge: proposed, answered, done each week and retired by the couple's two partners alone. */
@Service
public class SharedGoalEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_TITLE_LENGTH = 100;

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<SharedGoal> goals;
    private final SharedGoalBoard board;
    private final CouplePartners couples;
    private final SharedGoalTitles titles;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public SharedGoalEndpoint(CommandGateway commands, Aggregates aggregates, Repository<SharedGoal> goals, SharedGoalBoard board,
                              CouplePartners couples, SharedGoalTitles titles, Clock clock, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.aggregates = aggregates;
        this.goals = goals;
        this.board = board;
        this.couples = couples;
        this.titles = titles;
        this.clock = clock;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void proposeSharedGoal(ProposeSharedGoalRequest request, StreamObserver<app.tandem.api.v1.SharedGoal> response) {
        String actor = Caller.current().personId();
        int rhythm = request.getRhythmValue();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(request.getKindValue() != 0 && SharedGoalKind.forNumber(request.getKindValue()) != null, "kind",
                        "must be an activity together, a hobby, a health habit or other")
                .requireText(request.getTitle(), "title", MAX_TITLE_LENGTH)
                .require(rhythm == SharedGoalRhythm.SHARED_GOAL_RHYTHM_UNSPECIFIED_VALUE || rhythm == SharedGoalRhythm.SHARED_GOAL_WEEKLY_VALUE,
                        "rhythm", "must be weekly")
                .orThrow();
        CouplePartners.Couple couple = couples.requireSharedBy(request.getCoupleId(), actor);
        String partner = couple.partnerOf(actor);
        String goalId = Requests.deterministicId("shared-goal", actor, request.getIdempotencyKey());
        try {
            commands.sendAndWait(new ProposeSharedGoal(goalId, couple.coupleId(), actor, partner,
                    Kind.valueOf(request.getKind().name().substring("SHARED_GOAL_".length())), titles.seal(actor, request.getTitle()),
                    Rhythm.WEEKLY, now()));
        } catch (AggregateStreamCreationException alreadyProposed) {
            // a retry of a goal already proposed: answer as the first time
        }
        Unary.reply(response, toProto(load(goalId, actor)));
    }

    @Override
    public void answerSharedGoal(AnswerSharedGoalRequest request, StreamObserver<app.tandem.api.v1.SharedGoal> response) {
        String actor = Caller.current().personId();
        validate(request.getIdempotencyKey(), request.getGoalId())
                .require(request.getAnswerValue() != 0 && SharedGoalAnswer.forNumber(request.getAnswerValue()) != null, "answer",
                        "must be agree or decline")
                .orThrow();
        requireShared(request.getGoalId(), actor);
        Answer answer = request.getAnswer() == SharedGoalAnswer.SHARED_GOAL_AGREE ? Answer.AGREE : Answer.DECLINE;
        Unary.reply(response, toProto(commands.sendAndWait(new AnswerSharedGoal(request.getGoalId(), actor, answer, now()))));
    }

    @Override
    public void markSharedGoalDone(MarkSharedGoalDoneRequest request, StreamObserver<app.tandem.api.v1.SharedGoal> response) {
        String actor = Caller.current().personId();
        validate(request.getIdempotencyKey(), request.getGoalId()).orThrow();
        requireShared(request.getGoalId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new MarkSharedGoalDone(request.getGoalId(), actor,
                Requests.deterministicId("shared-goal-mark", actor, request.getIdempotencyKey()), now()))));
    }

    @Override
    public void retireSharedGoal(RetireSharedGoalRequest request, StreamObserver<app.tandem.api.v1.SharedGoal> response) {
        String actor = Caller.current().personId();
        validate(request.getIdempotencyKey(), request.getGoalId()).orThrow();
        requireShared(request.getGoalId(), actor);
        Unary.reply(response, toProto(commands.sendAndWait(new RetireSharedGoal(request.getGoalId(), actor, now()))));
    }

    @Override
    public void listSharedGoals(ListSharedGoalsRequest request, StreamObserver<ListSharedGoalsResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id").orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        readYourWrites.awaitProjection(SharedGoalBoard.PROCESSOR);
        ListSharedGoalsResponse.Builder result = ListSharedGoalsResponse.newBuilder();
        board.of(request.getCoupleId()).forEach(goal -> result.addGoals(toProto(goal)));
        Unary.reply(response, result.build());
    }

    private static Validation validate(String idempotencyKey, String goalId) {
        return new Validation()
                .requireText(idempotencyKey, "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(goalId, "goal_id");
    }

    /** Only while the couple is still shared: a goal is the two partners', and ends with the couple. */
    private void requireShared(String goalId, String actor) {
        couples.requireSharedBy(load(goalId, actor).coupleId(), actor);
    }

    /** Times to the millisecond, as the board keeps them. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The goal from its own events; someone outside its couple is told it does not exist. */
    private SharedGoalView load(String goalId, String actor) {
        return aggregates.read(goals, goalId, g -> g.isBetween(actor) ? g.view() : null)
                .orElseThrow(() -> new NotFound("no such goal"));
    }

    static SharedGoalKind kind(Kind kind) {
        return SharedGoalKind.valueOf("SHARED_GOAL_" + kind.name());
    }

    private app.tandem.api.v1.SharedGoal toProto(SharedGoalView goal) {
        app.tandem.api.v1.SharedGoal.Builder result = app.tandem.api.v1.SharedGoal.newBuilder()
                .setGoalId(goal.goalId())
                .setCoupleId(goal.coupleId())
                .setProposedByPersonId(Objects.requireNonNullElse(goal.proposedBy(), ""))
                .setKind(kind(goal.kind()))
                .setTitle(titles.read(goal))
                .setRhythm(SharedGoalRhythm.valueOf("SHARED_GOAL_" + goal.rhythm().name()))
                .setStage(SharedGoalStage.valueOf("SHARED_GOAL_" + goal.stage().name()))
                .setProposedAt(Timestamps.of(goal.proposedAt()));
        if (goal.agreedAt() != null) {
            result.setAgreedAt(Timestamps.of(goal.agreedAt()));
        }
        if (goal.retiredAt() != null) {
            result.setRetiredAt(Timestamps.of(goal.retiredAt()));
        }
        goal.marks().forEach(m -> result.addMarks(SharedGoalMark.newBuilder().setPersonId(m.personId())
                .setWeekStart(Timestamps.of(m.weekStart())).setMarkedAt(Timestamps.of(m.markedAt()))));
        return result.build();
    }
}
