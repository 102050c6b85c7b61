package app.tandem.journal.couple;

import app.tandem.api.v1.Couple;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleResponse;
import app.tandem.api.v1.LeaveCoupleResponse;
import app.tandem.api.v1.RequestSupportResponse;
import app.tandem.internal.v1.CouplesInternalGrpc;
import app.tandem.internal.v1.CreateCoupleCall;
import app.tandem.internal.v1.GetCoupleCall;
import app.tandem.internal.v1.JoinCoupleCall;
import app.tandem.internal.v1.LeaveCoupleCall;
import app.tandem.internal.v1.RequestSupportCall;
import app.tandem.journal.couple.CoupleCommands.CreateCouple;
import app.tandem.journal.couple.CoupleCommands.JoinCouple;
import app.tandem.journal.couple.CoupleCommands.LeaveCouple;
import app.tandem.journal.couple.CoupleCommands.RequestSupport;
import app.tandem.journal.couple.CoupleDirectory.CoupleEntry;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Couples over internal gRPC: the gateway has already authenticated the actor. */
@Service
public class CouplesEndpoint extends CouplesInternalGrpc.CouplesInternalImplBase {

    static final Duration INVITE_LIFETIME = Duration.ofDays(7);

    private final CommandGateway commands;
    private final CoupleDirectory directory;
    private final InviteCodes inviteCodes;
    private final Clock clock;

    public CouplesEndpoint(CommandGateway commands, CoupleDirectory directory, InviteCodes inviteCodes, Clock clock) {
        this.commands = commands;
        this.directory = directory;
        this.inviteCodes = inviteCodes;
        this.clock = clock;
    }

    @Override
    public void createCouple(CreateCoupleCall call, StreamObserver<CreateCoupleResponse> response) {
        String actor = Requests.actor(call.getActor());
        Requests.requireIdempotencyKey(call.getRequest().getIdempotencyKey(), "idempotency_key");
        String coupleId = Requests.deterministicId("couple", actor, call.getRequest().getIdempotencyKey());
        directory.activeCoupleOf(actor).filter(existing -> !existing.equals(coupleId)).ifPresent(existing -> {
            throw new RuleViolation("you are already in a couple; leave it before starting another");
        });
        String code = inviteCodes.codeFor(coupleId);
        Instant now = clock.instant();
        try {
            commands.sendAndWait(new CreateCouple(coupleId, actor, InviteCodes.hash(code), now.plus(INVITE_LIFETIME), now));
        } catch (AggregateStreamCreationException alreadyCreated) {
            // a retry of a request that already created this couple: answer as the first time
        }
        CoupleEntry couple = directory.find(coupleId).orElseThrow(() -> new IllegalStateException("couple not recorded"));
        if (!couple.founderPersonId().equals(actor)) {
            throw new AccessDenied("not a partner in this couple");
        }
        response.onNext(CreateCoupleResponse.newBuilder()
                .setCoupleId(coupleId)
                .setInviteCode(code)
                .setInviteExpiresAt(Timestamps.of(couple.inviteExpiresAt()))
                .build());
        response.onCompleted();
    }

    @Override
    public void joinCouple(JoinCoupleCall call, StreamObserver<JoinCoupleResponse> response) {
        String actor = Requests.actor(call.getActor());
        new Validation()
                .requireText(call.getRequest().getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(InviteCodes.isWellFormed(call.getRequest().getInviteCode()), "invite_code",
                        "must be the " + InviteCodes.LENGTH + "-character code your partner received")
                .orThrow();
        String hash = InviteCodes.hash(call.getRequest().getInviteCode());
        String coupleId = directory.coupleForInvite(hash).orElseThrow(() -> new NotFound("no couple has this invite code"));
        directory.activeCoupleOf(actor).filter(existing -> !existing.equals(coupleId)).ifPresent(existing -> {
            throw new RuleViolation("you are already in a couple; leave it before joining another");
        });
        commands.sendAndWait(new JoinCouple(coupleId, actor, hash, clock.instant()));
        response.onNext(JoinCoupleResponse.newBuilder().setCoupleId(coupleId).build());
        response.onCompleted();
    }

    @Override
    public void getCouple(GetCoupleCall call, StreamObserver<Couple> response) {
        String actor = Requests.actor(call.getActor());
        String coupleId = Requests.requireUuid(call.getRequest().getCoupleId(), "couple_id");
        CoupleEntry couple = directory.find(coupleId).orElseThrow(() -> new NotFound("no such couple"));
        if (!couple.isOrWasPartner(actor)) {
            throw new AccessDenied("not a partner in this couple");
        }
        Couple.Builder answer = Couple.newBuilder()
                .setCoupleId(couple.coupleId())
                .setCreatedAt(Timestamps.of(couple.createdAt()))
                .setShared(couple.shared());
        // a partner who left sees that they left, not who stayed
        answer.addAllPartnerPersonIds(couple.isPartner(actor) ? couple.partnerPersonIds() : List.of());
        response.onNext(answer.build());
        response.onCompleted();
    }

    @Override
    public void leaveCouple(LeaveCoupleCall call, StreamObserver<LeaveCoupleResponse> response) {
        String actor = Requests.actor(call.getActor());
        Requests.requireIdempotencyKey(call.getRequest().getIdempotencyKey(), "idempotency_key");
        String coupleId = Requests.requireUuid(call.getRequest().getCoupleId(), "couple_id");
        directory.find(coupleId).filter(couple -> couple.isOrWasPartner(actor))
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        commands.sendAndWait(new LeaveCouple(coupleId, actor, clock.instant()));
        response.onNext(LeaveCoupleResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void requestSupport(RequestSupportCall call, StreamObserver<RequestSupportResponse> response) {
        String actor = Requests.actor(call.getActor());
        Requests.requireIdempotencyKey(call.getRequest().getIdempotencyKey(), "idempotency_key");
        String coupleId = Requests.requireUuid(call.getRequest().getCoupleId(), "couple_id");
        directory.find(coupleId).orElseThrow(() -> new NotFound("no such couple"));
        String requestId = Requests.deterministicId("support", actor, call.getRequest().getIdempotencyKey());
        commands.sendAndWait(new RequestSupport(coupleId, actor, requestId, clock.instant()));
        response.onNext(RequestSupportResponse.newBuilder().setRequestId(requestId).build());
        response.onCompleted();
    }

}
