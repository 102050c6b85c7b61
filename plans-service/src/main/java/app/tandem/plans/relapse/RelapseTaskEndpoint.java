package app.tandem.plans.relapse;

import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import app.tandem.api.v1.CompleteRelapseResponseTaskRequest;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.ListRelapseResponseTasksResponse;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTaskKind;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.plans.guidance.Guidance;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.relapse.RelapseCommands.CompleteTask;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Relapse-response tasks at the edge: each partner sees and completes their own. */
@Service
public class RelapseTaskEndpoint implements PlansServiceGrpc.AsyncService {

    public static final int MAX_ID_LENGTH = 100;

    private final CommandGateway commands;
    private final Aggregates aggregates;
    private final Repository<RelapseResponse> responses;
    private final RelapseTaskBoard board;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public RelapseTaskEndpoint(CommandGateway commands, Aggregates aggregates, Repository<RelapseResponse> responses, RelapseTaskBoard board,
                               CouplePartners couples, PersonalDataCipher cipher, Clock clock, ReadYourWrites readYourWrites) {
        this.readYourWrites = readYourWrites;
        this.commands = commands;
        this.aggregates = aggregates;
        this.responses = responses;
        this.board = board;
        this.couples = couples;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public void listRelapseResponseTasks(ListRelapseResponseTasksRequest request, StreamObserver<ListRelapseResponseTasksResponse> response) {
        String actor = Caller.current().personId();
        new Validation().requireUuid(request.getCoupleId(), "couple_id")
                .require(Guidance.isLocale(request.getLocale()), "locale", "must be a BCP 47 language tag such as en-GB")
                .orThrow();
        couples.requireSharedBy(request.getCoupleId(), actor);
        Locale locale = Guidance.locale(request.getLocale());
        ListRelapseResponseTasksResponse.Builder result = ListRelapseResponseTasksResponse.newBuilder();
        readYourWrites.awaitProjection(RelapseTaskBoard.PROCESSOR);
        for (RelapseTaskBoard.Entry entry : board.tasksOf(actor, request.getCoupleId(), request.getIncludeDone())) {
            result.addTasks(toProto(entry.lapseId(), entry.coupleId(), entry.task(), entry.issuedAt(), entry.done(), entry.doneAt(), locale));
        }
        Unary.reply(response, result.build());
    }

    @Override
    public void completeRelapseResponseTask(CompleteRelapseResponseTaskRequest request, StreamObserver<RelapseResponseTask> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .requireText(request.getLapseId(), "lapse_id", MAX_ID_LENGTH)
                .requireText(request.getTaskId(), "task_id", MAX_ID_LENGTH)
                .orThrow();
        // a lapse that does not exist gets the answer one of another couple gets: ids tell nobody what exists
        String coupleId = aggregates.read(responses, request.getLapseId(), RelapseResponse::coupleId)
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        couples.requireSharedBy(coupleId, actor);
        Instant now = clock.instant();
        commands.sendAndWait(new CompleteTask(request.getLapseId(), request.getTaskId(), actor, now));
        String taskId = request.getTaskId();
        Unary.reply(response, aggregates.read(responses, request.getLapseId(), r -> toProto(request.getLapseId(), coupleId,
                r.task(taskId), r.issuedAt(taskId), r.isDone(taskId), r.doneAt(taskId), Locale.ENGLISH)).orElseThrow());
    }

    /** The task list keeps times to the millisecond, so every answer about a task gives them so. */
    private static Instant toTheMillisecond(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private RelapseResponseTask toProto(String lapseId, String coupleId, RelapseTask task, Instant issuedAt, boolean done, Instant doneAt,
                                        Locale locale) {
        RelapseResponseTask.Builder result = RelapseResponseTask.newBuilder()
                .setLapseId(lapseId)
                .setTaskId(task.taskId())
                .setCoupleId(coupleId)
                .setPersonId(task.personId())
                .setRole(RelapseRole.valueOf("RELAPSE_ROLE_" + task.role().name()))
                .setTimeframe(RelapseTimeframe.valueOf("RELAPSE_" + task.timeframe().name()))
                .setKind(RelapseTaskKind.valueOf("TASK_" + task.kind().name()))
                .setGuidance(Guidance.forRelapseTask(task.role().name(), task.timeframe().name(), locale))
                .setDone(done);
        if (task.encryptedText() != null) {
            result.setText(cipher.decrypt(task.textAuthor(), task.encryptedText()).orElse(""));
        }
        if (issuedAt != null) {
            result.setIssuedAt(Timestamps.of(toTheMillisecond(issuedAt)));
        }
        if (doneAt != null) {
            result.setDoneAt(Timestamps.of(toTheMillisecond(doneAt)));
        }
        return result.build();
    }
}
