package app.tandem.journal.checkin;

import app.tandem.journal.couple.Couple;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Records a check-in against its couple: the couple, loaded from its own events, confirms the author is a
 * partner and names the partner, so membership is never read from a view that could lag.
 */
@Component
public class CheckInRecorder {

    private final Repository<Couple> couples;
    private final Repository<CheckIn> checkIns;

    public CheckInRecorder(Repository<Couple> couples, Repository<CheckIn> checkIns) {
        this.couples = couples;
        this.checkIns = checkIns;
    }

    @CommandHandler
    public String handle(RecordCheckIn command) throws Exception {
        String partner = couples.load(command.coupleId())
                .invoke(couple -> couple.partnerOf(command.authorPersonId()).orElse(null));
        checkIns.newInstance(() -> new CheckIn(command, partner));
        return command.checkInId();
    }
}
