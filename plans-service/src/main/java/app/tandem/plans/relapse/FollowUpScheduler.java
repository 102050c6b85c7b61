package app.tandem.plans.relapse;

import app.tandem.plans.PlansProperties;
import app.tandem.plans.relapse.RelapseCommands.ReachFollowUp;
import app.tandem.platform.time.Poller;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * Announces due follow-ups to their relapse responses, polling the durable schedule on the service's clock.
 * Each follow-up is claimed by one replica at a time and removed only after its response took it; the response
 * gives each follow-up once however often it is announced, so a crash, a second instance or a retry never
 * prompts twice, and nothing due is lost.
 */
@Component
public class FollowUpScheduler extends Poller {

    private static final Logger log = LoggerFactory.getLogger(FollowUpScheduler.class);
    private static final int BATCH = 100;

    private final FollowUpSchedule schedule;
    private final CommandGateway commands;
    private final Clock clock;

    public FollowUpScheduler(FollowUpSchedule schedule, CommandGateway commands, Clock clock, PlansProperties properties) {
        super("relapse-follow-ups", properties.getFollowUps().getPollInterval(), null);
        this.schedule = schedule;
        this.commands = commands;
        this.clock = clock;
    }

    @Override
    protected void runOnce() {
        announceDue();
    }

    /** Announces everything due now; returns how many follow-ups were announced. */
    public int announceDue() {
        int announced = 0;
        Optional<FollowUpSchedule.Due> next;
        while (announced < BATCH && isPolling() && (next = schedule.claimNext()).isPresent()) {
            FollowUpSchedule.Due due = next.get();
            try {
                commands.sendAndWait(new ReachFollowUp(due.lapseId(), due.stage(), clock.instant()));
            } catch (AggregateNotFoundException gone) {
                log.warn("follow-up {} of lapse {} has no response; dropping it", due.stage(), due.lapseId());
            }
            schedule.done(due);
            announced++;
        }
        return announced;
    }
}
