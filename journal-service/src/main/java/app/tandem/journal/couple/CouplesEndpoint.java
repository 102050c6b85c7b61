package app.tandem.journal.couple;

import app.tandem.platform.crypto.InviteCodes;
import app.tandem.api.v1.Couple;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleResponse;
import app.tandem.api.v1.LeaveCoupleResponse;
import app.tandem.api.v1.RequestSupportResponse;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.RequestSupportRequest;
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
import app.tandem.platform.security.Caller;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Couples and the support request: starting, joining, reading and leaving a couple; "I need support now". */
@Service
public class CouplesEndpoint implements CoupleServiceGrpc.AsyncService, JournalServiceGrpc.AsyncService {

    static final Duration INVITE_LIFETIME = Duration.ofDays(7);

    private final CommandGateway commands;
    private final CoupleDirectory directory;
    private final CoupleMembers members;
    private final InviteCodes inviteCodes;
    private final Clock clock;

    public CouplesEndpoint(CommandGateway commands, CoupleDirectory directory, CoupleMembers members, InviteCodes inviteCodes, Clock clock) {
        this.commands = commands;
        this.directory = directory;
        this.members = members;
        this.inviteCodes = inviteCodes;
        this.clock = clock;
    }

    @Override
    public void createCouple(CreateCoupleRequest request, StreamObserver<CreateCoupleResponse> response) {
        String actor = Caller.current().personId();
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        String coupleId = Requests.deterministicId("couple", actor, request.getIdempotencyKey());
        members.activeCoupleOf(actor).filter(existing -> !existing.equals(coupleId)).ifPresent(existing -> {
            throw new RuleViolation("you are already in a couple; leave it before starting another");
        });
        String code = inviteCodes.codeFor(coupleId);
        Instant now = clock.instant();
        try {
            commands.sendAndWait(new CreateCouple(coupleId, actor, inviteCodes.hash(code), now.plus(INVITE_LIFETIME), now));
        } catch (AggregateStreamCreationException alreadyCreated) {
            // a retry of a request that already created this couple: answer as the first time
        }
        CoupleEntry couple = members.find(coupleId).orElseThrow(() -> new IllegalStateException("couple not recorded"));
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
    public void joinCouple(JoinCoupleRequest request, StreamObserver<JoinCoupleResponse> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(InviteCodes.isWellFormed(request.getInviteCode()), "invite_code",
                        "must be the " + InviteCodes.LENGTH + "-character code your partner received")
                .orThrow();
        String hash = inviteCodes.hash(request.getInviteCode());
        String coupleId = directory.coupleForInvite(hash).orElseThrow(() -> new NotFound("no couple has this invite code"));
        members.activeCoupleOf(actor).filter(existing -> !existing.equals(coupleId)).ifPresent(existing -> {
            throw new RuleViolation("you are already in a couple; leave it before joining another");
        });
        commands.sendAndWait(new JoinCouple(coupleId, actor, hash, clock.instant()));
        response.onNext(JoinCoupleResponse.newBuilder().setCoupleId(coupleId).build());
        response.onCompleted();
    }

    @Override
    public void getCouple(GetCoupleRequest request, StreamObserver<Couple> response) {
        String actor = Caller.current().personId();
        String coupleId = Requests.requireUuid(request.getCoupleId(), "couple_id");
        // someone who left, and someone asking about a couple that does not exist, get a stranger's answer: whether
        // the other stayed, and whether a couple exists at all, is not theirs to see
        CoupleEntry couple = members.find(coupleId).filter(c -> c.isPartner(actor))
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        response.onNext(Couple.newBuilder()
                .setCoupleId(couple.coupleId())
                .setCreatedAt(Timestamps.of(couple.createdAt()))
                .setShared(couple.shared())
                .addAllPartnerPersonIds(couple.partnerPersonIds())
                .build());
        response.onCompleted();
    }

    @Override
    public void leaveCouple(LeaveCoupleRequest request, StreamObserver<LeaveCoupleResponse> response) {
        String actor = Caller.current().personId();
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        String coupleId = Requests.requireUuid(request.getCoupleId(), "couple_id");
        members.find(coupleId).filter(couple -> couple.isOrWasPartner(actor))
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        commands.sendAndWait(new LeaveCouple(coupleId, actor, clock.instant()));
        response.onNext(LeaveCoupleResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void requestSupport(RequestSupportRequest request, StreamObserver<RequestSupportResponse> response) {
        String actor = Caller.current().personId();
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        String coupleId = Requests.requireUuid(request.getCoupleId(), "couple_id");
        members.find(coupleId).filter(c -> c.isPartner(actor)).orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        String requestId = Requests.deterministicId("support", actor, request.getIdempotencyKey());
        commands.sendAndWait(new RequestSupport(coupleId, actor, requestId, clock.instant()));
        response.onNext(RequestSupportResponse.newBuilder().setRequestId(requestId).build());
        response.onCompleted();
    }

}
