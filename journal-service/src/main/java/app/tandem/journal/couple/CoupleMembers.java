package app.tandem.journal.couple;

import app.tandem.journal.couple.CoupleDirectory.CoupleEntry;
import app.tandem.platform.axon.Aggregates;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Who is in which couple for every access decision, read from the couple's stored events rather than from
 * {@link CoupleDirectory}: that projection is written after the events are stored, without a transaction, so a
 * failed write there must not leave someone who left with access, nor keep them from starting anew.
 */
@Component
public class CoupleMembers {

    private final Aggregates aggregates;
    private final Repository<Couple> couples;
    private final CoupleDirectory directory;

    public CoupleMembers(Aggregates aggregates, Repository<Couple> couples, CoupleDirectory directory) {
        this.aggregates = aggregates;
        this.couples = couples;
        this.directory = directory;
    }

    /** The couple as its events say, or empty when there is none (or the id is another aggregate's). */
    public Optional<CoupleEntry> find(String coupleId) {
        return aggregates.read(couples, coupleId, Couple::entry);
    }

    /**
     * The shared couple {@code personId} is a partner of. The directory finds it by person; the couple's own
     * events confirm it, so a membership the directory failed to remove does not hold anyone.
     */
    public Optional<String> activeCoupleOf(String personId) {
        return directory.activeCoupleOf(personId)
                .filter(coupleId -> find(coupleId).filter(c -> c.shared() && c.isPartner(personId)).isPresent());
    }
}
