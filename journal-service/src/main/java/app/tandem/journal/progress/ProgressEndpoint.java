package app.tandem.journal.progress;

import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.DiscloseLapseResponse;
import app.tandem.api.v1.GetGoalsResponse;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Stats;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.GetGoalsRequest;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.journal.couple.CoupleMembers;
import app.tandem.journal.couple.CoupleDirectory.CoupleEntry;
import app.tandem.journal.entry.Entry;
import app.tandem.journal.entry.Timeline;
import app.tandem.journal.progress.ProgressCommands.DiscloseLapse;
import app.tandem.journal.progress.ProgressCommands.SetGoal;
import app.tandem.journal.progress.ProgressCommands.Use;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.security.Caller;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Goals, lapses and stats: always the caller's own. */
@Service
public class ProgressEndpoint implements JournalServiceGrpc.AsyncService {

    private final CommandGateway commands;
    private final ProgressView progress;
    private final Timeline timeline;
    private final CoupleMembers members;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public ProgressEndpoint(CommandGateway commands, ProgressView progress, Timeline timeline, CoupleMembers members, Clock clock,
                            ReadYourWrites readYourWrites) {
        this.readYourWrites = readYourWrites;
        this.commands = commands;
        this.progress = progress;
        this.timeline = timeline;
        this.members = members;
        this.clock = clock;
    }

    @Override
    public void setGoal(SetGoalRequest request, StreamObserver<app.tandem.api.v1.Goal> response) {
        String actor = Caller.current().personId();
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(request.getKindValue() > 0 && request.getKindValue() <= GoalKind.values().length, "kind",
                        "must be ABSTINENCE, REDUCED_USE or SAFER_USE")
                .require(knownSubstances(request.getSubstancesValueList()), "substances", "names an unknown substance")
                .orThrow();
        Instant now = clock.instant();
        GoalKind kind = GoalKind.valueOf(request.getKind().name());
        List<Substance> substances = substances(request.getSubstancesList());
        commands.sendAndWait(new SetGoal(Journey.idOf(actor), actor, Requests.deterministicId("goal", actor, request.getIdempotencyKey()),
                kind, substances, request.getShareProgressWithPartner(), now));
        response.onNext(toProto(new ProgressView.Goal(kind, substances, request.getShareProgressWithPartner(), now)));
        response.onCompleted();
    }

    @Override
    public void getGoals(GetGoalsRequest request, StreamObserver<GetGoalsResponse> response) {
        String actor = Caller.current().personId();
        GetGoalsResponse.Builder result = GetGoalsResponse.newBuilder();
        readYourWrites.awaitProjection(ProgressView.PROCESSOR);
        progress.of(actor).ifPresent(p -> {
            p.goals().forEach(goal -> result.addHistory(toProto(goal)));
            if (!p.goals().isEmpty()) {
                result.setCurrent(toProto(p.goals().get(p.goals().size() - 1)));
            }
        });
        response.onNext(result.build());
        response.onCompleted();
    }

    @Override
    public void discloseLapse(DiscloseLapseRequest request, StreamObserver<DiscloseLapseResponse> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Instant occurredAt = Timestamps.optional(request.hasOccurredAt(), request.getOccurredAt(), now, "occurred_at");
        Entry.validateOccurredAt(new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(knownSubstances(request.getUse().getSubstancesValueList()), "use.substances", "names an unknown substance"),
                occurredAt, now).orThrow();
        String coupleId = Requests.requireUuid(request.getCoupleId(), "couple_id");
        // a couple that does not exist and one that is not the caller's get one answer: ids tell nobody who is in a couple
        CoupleEntry couple = members.find(coupleId).filter(c -> c.isPartner(actor))
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        if (!couple.shared()) {
            throw new RuleViolation("this journal is no longer shared");
        }
        String partner = couple.partnerPersonIds().stream().filter(p -> !p.equals(actor)).findFirst()
                .orElseThrow(() -> new RuleViolation("your partner has not joined yet"));
        String lapseId = Requests.deterministicId("lapse", actor, request.getIdempotencyKey());
        commands.sendAndWait(new DiscloseLapse(Journey.idOf(actor), actor, lapseId, coupleId, partner, occurredAt,
                new Use(substances(request.getUse().getSubstancesList()), request.getUse().getUsedAlone(),
                        request.getUse().getNaloxoneAtHand()), now));
        response.onNext(DiscloseLapseResponse.newBuilder().setLapseId(lapseId).build());
        response.onCompleted();
    }

    @Override
    public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Stats.Builder stats = Stats.newBuilder();
        readYourWrites.awaitProjection(ProgressView.PROCESSOR);
        readYourWrites.awaitProjection(Timeline.PROCESSOR);
        progress.of(actor).ifPresent(p -> {
            Streaks streaks = ProgressFigures.streaks(p, now);
            stats.setCurrentStreakDays(streaks.currentDays())
                    .setLongestStreakDays(streaks.longestDays())
                    .setTotalDaysWithoutUse(streaks.totalDaysWithoutUse())
                    .setCountingSince(Timestamps.of(p.countingSince()))
                    .addAllMilestones(ProgressFigures.milestones(p));
            p.countedUses().stream().max(Instant::compareTo).ifPresent(last -> stats.setLastUseAt(Timestamps.of(last)));
        });
        timeline.lastCheckInOf(actor).ifPresent(last -> stats.setLastCheckInAt(Timestamps.of(last)));
        List<Timeline.EntryVersion> month = timeline.checkInsOf(actor, ProgressFigures.trendsFrom(now));
        stats.setMood(ProgressFigures.mood(month, now)).setCraving(ProgressFigures.craving(month, now));
        response.onNext(stats.build());
        response.onCompleted();
    }

    private static boolean knownSubstances(List<Integer> values) {
        return values.stream().allMatch(v -> v > 0 && v <= Substance.values().length);
    }

    private static List<Substance> substances(List<app.tandem.api.v1.Substance> substances) {
        return substances.stream().map(s -> Substance.valueOf(s.name())).distinct().toList();
    }

    private static app.tandem.api.v1.Goal toProto(ProgressView.Goal goal) {
        return app.tandem.api.v1.Goal.newBuilder()
                .setKind(app.tandem.api.v1.GoalKind.valueOf(goal.kind().name()))
                .addAllSubstances(goal.substances().stream().map(s -> app.tandem.api.v1.Substance.valueOf(s.name())).toList())
                .setShareProgressWithPartner(goal.shareProgressWithPartner())
                .setSetAt(Timestamps.of(goal.setAt()))
                .build();
    }
}
