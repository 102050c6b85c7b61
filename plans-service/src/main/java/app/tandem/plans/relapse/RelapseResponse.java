package app.tandem.plans.relapse;

import app.tandem.plans.relapse.RelapseCommands.CompleteTask;
import app.tandem.plans.relapse.RelapseCommands.EndReason;
import app.tandem.plans.relapse.RelapseCommands.EndRelapseResponse;
import app.tandem.plans.relapse.RelapseCommands.ReachFollowUp;
import app.tandem.plans.relapse.RelapseCommands.StartRelapseResponse;
import app.tandem.plans.relapse.RelapseEvents.FollowUpReached;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseEnded;
import app.tandem.plans.relapse.RelapseEvents.RelapseResponseStarted;
import app.tandem.plans.relapse.RelapseEvents.TaskCompleted;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The couple's response to one disclosed lapse: supportive steps for both partners at once, a first-week
 * follow-up at 7 days and a plan review at 30 days, each given exactly once however often its time is announced.
 * It ends when every task is done after the plan review, or at once when the couple dissolves.
 */
@Aggregate
public class RelapseResponse {

    public static final Duration FIRST_WEEK = Duration.ofDays(7);
    public static final Duration FIRST_MONTH = Duration.ofDays(30);

    @AggregateIdentifier
    private String lapseId;
    private String coupleId;
    private String lapsedPersonId;
    private String supportingPersonId;
    private List<PlannedStep> steps;
    private final Set<Timeframe> reached = EnumSet.noneOf(Timeframe.class);
    private final Map<String, RelapseTask> tasks = new HashMap<>();
    private final Map<String, Boolean> done = new HashMap<>();
    private final Map<String, Instant> issuedAt = new HashMap<>();
    private final Map<String, Instant> doneAt = new HashMap<>();
    private boolean ended;

    protected RelapseResponse() {
        // for Axon
    }

    @CommandHandler
    public RelapseResponse(StartRelapseResponse command) {
        apply(new RelapseResponseStarted(command.lapseId(), command.coupleId(), command.lapsedPersonId(), command.supportingPersonId(),
                command.disclosedAt(), command.urgent(), command.planVersion(), List.copyOf(command.steps()),
                tasksFor(Timeframe.IMMEDIATELY, command.lapsedPersonId(), command.supportingPersonId(), command.steps()),
                command.disclosedAt().plus(FIRST_WEEK), command.disclosedAt().plus(FIRST_MONTH)));
    }

    /** The first week comes before the month: a late month announcement gives the week's tasks first. */
    @CommandHandler
    public void handle(ReachFollowUp command) {
        if (ended || reached.contains(command.stage())) {
            return;
        }
        if (command.stage() == Timeframe.IMMEDIATELY) {
            throw new IllegalArgumentException("the immediate steps come with the start");
        }
        if (command.stage() == Timeframe.FIRST_MONTH && !reached.contains(Timeframe.FIRST_WEEK)) {
            reach(Timeframe.FIRST_WEEK, command.now());
        }
        reach(command.stage(), command.now());
    }

    private void reach(Timeframe stage, Instant now) {
        apply(new FollowUpReached(lapseId, coupleId, lapsedPersonId, supportingPersonId, stage,
                tasksFor(stage, lapsedPersonId, supportingPersonId, steps), now));
    }

    @CommandHandler
    public void handle(CompleteTask command) {
        RelapseTask task = tasks.get(command.taskId());
        if (task == null) {
            throw new NotFound("no such task");
        }
        if (!task.personId().equals(command.personId())) {
            throw new AccessDenied("only " + (task.personId().equals(lapsedPersonId) ? "the partner who lapsed" : "the supporting partner")
                    + " can mark this task done");
        }
        if (done.getOrDefault(command.taskId(), false)) {
            return;
        }
        if (ended) {
            throw new RuleViolation("this relapse response has ended");
        }
        apply(new TaskCompleted(lapseId, coupleId, command.taskId(), command.personId(), command.now()));
        if (reached.contains(Timeframe.FIRST_MONTH) && done.values().stream().allMatch(d -> d)) {
            apply(new RelapseResponseEnded(lapseId, coupleId, EndReason.COMPLETED, command.now()));
        }
    }

    @CommandHandler
    public void handle(EndRelapseResponse command) {
        if (!ended) {
            apply(new RelapseResponseEnded(lapseId, coupleId, command.reason(), command.now()));
        }
    }

    public RelapseTask task(String taskId) {
        return tasks.get(taskId);
    }

    public boolean isDone(String taskId) {
        return done.getOrDefault(taskId, false);
    }

    /** When the task was given: at the disclosure, or when its follow-up came. */
    public Instant issuedAt(String taskId) {
        return issuedAt.get(taskId);
    }

    /** When the task was done, or null while it is not. */
    public Instant doneAt(String taskId) {
        return doneAt.get(taskId);
    }

    public String coupleId() {
        return coupleId;
    }

    /**
     * Each partner's tasks for a stage: the built-in ones, then their own steps from the agreed plan for their
     * role in this lapse. Task ids are the stage and a number, so they are the same whenever they are computed.
     */
    static List<RelapseTask> tasksFor(Timeframe stage, String lapsed, String supporting, List<PlannedStep> steps) {
        List<RelapseTask> result = new ArrayList<>();
        String prefix = stage.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-";
        switch (stage) {
            case IMMEDIATELY -> {
                result.add(new RelapseTask(prefix + (result.size() + 1), lapsed, Role.IF_I_LAPSE, stage, RelapseTask.Kind.CHECK_SAFETY, null, null));
                result.add(new RelapseTask(prefix + (result.size() + 1), supporting, Role.IF_MY_PARTNER_LAPSES, stage, RelapseTask.Kind.RESPOND_WITH_CARE, null, null));
            }
            case FIRST_WEEK -> {
                for (String person : List.of(lapsed, supporting)) {
                    Role role = person.equals(lapsed) ? Role.IF_I_LAPSE : Role.IF_MY_PARTNER_LAPSES;
                    result.add(new RelapseTask(prefix + (result.size() + 1), person, role, stage, RelapseTask.Kind.TALK_IT_THROUGH, null, null));
                    result.add(new RelapseTask(prefix + (result.size() + 1), person, role, stage, RelapseTask.Kind.SEEK_PROFESSIONAL_HELP, null, null));
                }
            }
            case FIRST_MONTH -> {
                for (String person : List.of(lapsed, supporting)) {
                    Role role = person.equals(lapsed) ? Role.IF_I_LAPSE : Role.IF_MY_PARTNER_LAPSES;
                    result.add(new RelapseTask(prefix + (result.size() + 1), person, role, stage, RelapseTask.Kind.REVIEW_THE_PLAN, null, null));
                }
            }
        }
        for (PlannedStep step : steps) {
            boolean lapsedOwn = step.personId().equals(lapsed) && step.role() == Role.IF_I_LAPSE;
            boolean supportingOwn = step.personId().equals(supporting) && step.role() == Role.IF_MY_PARTNER_LAPSES;
            if (step.timeframe() == stage && (lapsedOwn || supportingOwn)) {
                result.add(new RelapseTask(prefix + (result.size() + 1), step.personId(), step.role(), stage,
                        RelapseTask.Kind.PLAN_STEP, step.encryptedText(), step.personId()));
            }
        }
        return result;
    }

    @EventSourcingHandler
    void on(RelapseResponseStarted event) {
        lapseId = event.lapseId();
        coupleId = event.coupleId();
        lapsedPersonId = event.lapsedPersonId();
        supportingPersonId = event.supportingPersonId();
        steps = event.steps();
        reached.add(Timeframe.IMMEDIATELY);
        event.tasks().forEach(task -> add(task, event.disclosedAt()));
    }

    @EventSourcingHandler
    void on(FollowUpReached event) {
        reached.add(event.stage());
        event.tasks().forEach(task -> add(task, event.reachedAt()));
    }

    private void add(RelapseTask task, Instant at) {
        tasks.put(task.taskId(), task);
        done.put(task.taskId(), false);
        issuedAt.put(task.taskId(), at);
    }

    @EventSourcingHandler
    void on(TaskCompleted event) {
        done.put(event.taskId(), true);
        doneAt.put(event.taskId(), event.completedAt());
    }

    @EventSourcingHandler
    void on(RelapseResponseEnded event) {
        ended = true;
    }
}
