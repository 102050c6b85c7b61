package app.tandem.plans.need;

import app.tandem.api.v1.AnswerNeedRequest;
import app.tandem.api.v1.ExpressNeedRequest;
import app.tandem.api.v1.ListNeedsRequest;
import app.tandem.api.v1.ListNeedsResponse;
import app.tandem.api.v1.NeedAnswer;
import app.tandem.api.v1.NeedKind;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.need.NeedCommands.Answer;
import app.tandem.plans.need.NeedCommands.AnswerNeed;
import app.tandem.plans.need.NeedCommands.ExpressNeed;
import app.tandem.plans.need.NeedCommands.Kind;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.crypto.PersonalDataCipher;
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

/** Needs at the edge: short, shared with the partner, answered by the partner. */
@Service
public class NeedEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_TEXT_LENGTH = 200;

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<Need> needs;
    private final NeedBoard board;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public NeedEndpoint(CommandGateway commands, Aggregates aggregates, Repository<Need> needs, NeedBoard board,
                        CouplePartners couples, PersonalDataCipher cipher, Clock clock, ReadYourWrites readYourWrites) {
        this.commands = commands;
        this.aggregates = aggregates;
        this.needs = needs;
        this.board = board;
        this.couples = couples;
        this.cipher = cipher;
        this.clock = clock;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void expressNeed(ExpressNeedRequest request, StreamObserver<app.tandem.api.v1.Need> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getCoupleId(), "couple_id")
                .require(request.getKindValue() != 0 && NeedKind.forNumber(request.getKindValue()) != null, "kind",
                        "must say whether you need it from your partner or for yourself")
                .requireText(request.getText(), "text", MAX_TEXT_LENGTH)
                .orThrow();
        CouplePartners.Couple couple = couples.requireSharedBy(request.getCoupleId(), actor);
        String partner = couple.partnerOf(actor);
        String needId = Requests.deterministicId("need", actor, request.getIdempotencyKey());
        try {
            commands.sendAndWait(new ExpressNeed(needId, couple.coupleId(), actor, partner,
                    Kind.valueOf(request.getKind().name().substring("NEED_".length())), cipher.encrypt(actor, request.getText()), now()));
        } catch (AggregateStreamCreationException alreadyExpressed) {
            // a retry of a need already recorded: answer as the first time
        }
        Unary.reply(response, toProto(load(needId, actor)));
    }

    @Override
    public void answerNeed(AnswerNeedRequest request, StreamObserver<app.tandem.api.v1.Need> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireUuid(request.getNeedId(), "need_id")
                .require(request.getAnswerValue() != 0 && NeedAnswer.forNumber(request.getAnswerValue()) != null, "answer",
                        "must be \"I can do that\" or \"let's talk about it\"")
                .orThrow();
        couples.requireSharedBy(load(request.getNeedId(), actor).coupleId(), actor);
        NeedView after = commands.sendAndWait(new AnswerNeed(request.getNeedId(), actor,
                Answer.valueOf(request.getAnswer().name().substring("NEED_".length())), now()));
        Unary.reply(response, toProto(after));
    }

    @Override
    public void listNeeds(ListNeedsRequest request, StreamObserver<ListNeedsResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id").orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        readYourWrites.awaitProjection(NeedBoard.PROCESSOR);
        ListNeedsResponse.Builder result = ListNeedsResponse.newBuilder();
        board.of(request.getCoupleId()).forEach(need -> result.addNeeds(toProto(need)));
        Unary.reply(response, result.build());
    }

    /** The board keeps times to the millisecond, so every answer gives them so. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The need from its own events; someone outside its couple is told it does not exist. */
    private NeedView load(String needId, String actor) {
        return aggregates.read(needs, needId, n -> n.isBetween(actor) ? n.view() : null)
                .orElseThrow(() -> new NotFound("no such need"));
    }

    private app.tandem.api.v1.Need toProto(NeedView view) {
        app.tandem.api.v1.Need.Builder result = app.tandem.api.v1.Need.newBuilder()
                .setNeedId(view.needId())
                .setCoupleId(view.coupleId())
                .setPersonId(view.personId())
                .setKind(NeedKind.valueOf("NEED_" + view.kind().name()))
                // an erased author's words stay unreadable
                .setText(cipher.decrypt(view.personId(), view.encryptedText()).orElse(""))
                .setExpressedAt(Timestamps.of(view.expressedAt()));
        if (view.answer() != null) {
            result.setAnswer(NeedAnswer.valueOf("NEED_" + view.answer().name())).setAnsweredAt(Timestamps.of(view.answeredAt()));
        }
        return result.build();
    }
}
