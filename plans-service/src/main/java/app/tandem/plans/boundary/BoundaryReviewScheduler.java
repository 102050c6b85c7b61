package app.tandem.plans.boundary;

import app.tandem.plans.PlansProperties;
import app.tandem.plans.boundary.BoundaryCommands.ReachReviewDate;
import app.tandem.platform.time.Poller;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * Announces review dates that have come, polling the durable schedule on the service's clock, each claimed by
 * one replica at a time. The boundary
 * decides whether the review is due (in force, still that version) and announces it once; the schedule entry
 * goes when the boundary recorded it.
 */
@Component
public class BoundaryReviewScheduler extends Poller {

    private static final int BATCH = 100;

    private final BoundaryReviewSchedule schedule;
    private final CommandGateway commands;
    private final Clock clock;

    public BoundaryReviewScheduler(BoundaryReviewSchedule schedule, CommandGateway commands, Clock clock, PlansProperties properties) {
        super("boundary-reviews", properties.getFollowUps().getPollInterval(), null);
        this.schedule = schedule;
        this.commands = commands;
        this.clock = clock;
    }

    @Override
    protected void runOnce() {
        Optional<BoundaryReviewSchedule.Due> next;
        for (int announced = 0; announced < BATCH && isPolling() && (next = schedule.claimNext()).isPresent(); announced++) {
            BoundaryReviewSchedule.Due due = next.get();
            commands.sendAndWait(new ReachReviewDate(due.boundaryId(), due.version(), clock.instant()));
        }
    }
}
