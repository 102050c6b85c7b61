package app.tandem.plans.together;

import app.tandem.api.v1.GetWeekTogetherRequest;
import app.tandem.api.v1.GoalInWeek;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.StepInWeek;
import app.tandem.api.v1.StepStatus;
import app.tandem.api.v1.VictoryInWeek;
import app.tandem.api.v1.VictoryKind;
import app.tandem.api.v1.VictoryTally;
import app.tandem.api.v1.WeekTogether;
import app.tandem.plans.conversation.ConversationSteps;
import app.tandem.plans.membership.CouplePartners;
import app.tandem.plans.victory.VictoryBoard;
import app.tandem.plans.victory.VictoryView;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import app.tandem.platform.security.Caller;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The week together as a partner sees it: the couple's goals and who did them, the shared victories of the week, the
 * agreed conversation steps done, due or overdue, and the shared victories counted so far, per person and kind. The
 * count lives here, by the victories themselves, rather than in the journal's stats, which stay about days without use.
 */
@Service
public class WeekTogetherEndpoint implements PlansServiceGrpc.AsyncService {

    /** How far back or ahead a week may be asked for: a couple's history, not the calendar's. */
    public static final Duration FARTHEST = Duration.ofDays(3660);

    private final SharedGoalBoard goals;
    private final SharedGoalTitles titles;
    private final VictoryBoard victories;
    private final ConversationSteps steps;
    private final CouplePartners couples;
    private final PersonalDataCipher cipher;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public WeekTogetherEndpoint(SharedGoalBoard goals, SharedGoalTitles titles, VictoryBoard victories, ConversationSteps steps,
                                CouplePartners couples, PersonalDataCipher cipher, Clock clock, ReadYourWrites readYourWrites) {
        this.goals = goals;
        this.titles = titles;
        this.victories = victories;
        this.steps = steps;
        this.couples = couples;
        this.cipher = cipher;
        this.clock = clock;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void getWeekTogether(GetWeekTogetherRequest request, StreamObserver<WeekTogether> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        boolean validWeek = !request.hasWeekOf() || Timestamps.isValid(request.getWeekOf())
                && !Timestamps.toInstant(request.getWeekOf()).isBefore(now.minus(FARTHEST))
                && !Timestamps.toInstant(request.getWeekOf()).isAfter(now.plus(FARTHEST));
        new Validation().requireUuid(request.getCoupleId(), "couple_id")
                .require(validWeek, "week_of", "must be a time within " + FARTHEST.toDays() + " days of now")
                .orThrow();
        String coupleId = couples.requireSharedBy(request.getCoupleId(), actor).coupleId();
        Instant start = Weeks.startOf(request.hasWeekOf() ? Timestamps.toInstant(request.getWeekOf()) : now);
        Instant end = start.plus(Weeks.LENGTH);
        WeekTogether.Builder week = WeekTogether.newBuilder().setWeekStart(Timestamps.of(start)).setWeekEnd(Timestamps.of(end));

        readYourWrites.awaitProjection(SharedGoalBoard.PROCESSOR);
        goals.of(coupleId).stream().filter(g -> g.heldDuring(start)).forEach(g -> week.addGoals(GoalInWeek.newBuilder()
                .setGoalId(g.goalId()).setKind(SharedGoalEndpoint.kind(g.kind())).setTitle(titles.read(g))
                .addAllDoneByPersonIds(g.doneIn(start))));

        readYourWrites.awaitProjection(VictoryBoard.PROCESSOR);
        // newest first, as ListVictories shows them
        List<VictoryView> shared = victories.seenBy(actor, coupleId).stream().filter(VictoryView::shared).toList();
        Map<String, VictoryTally.Builder> totals = new TreeMap<>();
        for (VictoryView victory : shared) {
            VictoryKind kind = VictoryKind.valueOf("VICTORY_" + victory.kind().name());
            if (within(victory.recordedAt(), start, end)) {
                week.addSharedVictories(VictoryInWeek.newBuilder().setVictoryId(victory.victoryId()).setPersonId(victory.personId())
                        .setKind(kind).setRecordedAt(Timestamps.of(victory.recordedAt())));
            }
            VictoryTally.Builder tally = totals.computeIfAbsent(victory.personId() + "/" + kind.getNumber(),
                    k -> VictoryTally.newBuilder().setPersonId(victory.personId()).setKind(kind));
            tally.setCount(tally.getCount() + 1);
        }
        totals.values().forEach(week::addVictoryTotals);

        for (ConversationSteps.AgreedStep agreed : steps.seenBy(actor, coupleId)) {
            StepStatus status = status(agreed, start, end, now);
            if (status != null) {
                week.addSteps(StepInWeek.newBuilder().setConversationId(agreed.conversationId()).setStatus(status)
                        .setStep(ConversationSteps.toProto(agreed.step(), agreed.doneAt(),
                                cipher.decrypt(agreed.step().textAuthor(), agreed.step().encryptedText()).orElse(""))));
            }
        }
        Unary.reply(response, week.build());
    }

    /** Done in the week, due in it, or overdue by now; any other step is not the week's. */
    static StepStatus status(ConversationSteps.AgreedStep agreed, Instant start, Instant end, Instant now) {
        if (agreed.doneAt() != null) {
            return within(agreed.doneAt(), start, end) ? StepStatus.STEP_DONE : null;
        }
        Instant due = agreed.step().dueAt();
        if (due.isBefore(now) && due.isBefore(end)) {
            return StepStatus.STEP_OVERDUE;
        }
        return within(due, start, end) ? StepStatus.STEP_DUE : null;
    }

    private static boolean within(Instant moment, Instant start, Instant end) {
        return !moment.isBefore(start) && moment.isBefore(end);
    }
}
