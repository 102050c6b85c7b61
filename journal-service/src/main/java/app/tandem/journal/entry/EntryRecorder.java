package app.tandem.journal.entry;

import app.tandem.journal.couple.Couple;
import app.tandem.journal.entry.EntryCommands.AmendCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordWeeklyReview;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.DomainException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Writes entries against their couple: the couple, loaded from its own events, confirms the author is a
 * partner of a journal that is still shared and names who may see a shared entry, so membership is never
 * read from a view that could lag.
 */
@Component
public class EntryRecorder {

    private final Repository<Couple> couples;
    private final Repository<Entry> entries;

    public EntryRecorder(Repository<Couple> couples, Repository<Entry> entries) {
        this.couples = couples;
        this.entries = entries;
    }

    @CommandHandler
    public String handle(RecordCheckIn command) throws Exception {
        String partner = partnerOf(command.coupleId(), command.authorPersonId());
        entries.newInstance(() -> new Entry(command, partner));
        return command.entryId();
    }

    @CommandHandler
    public String handle(RecordWeeklyReview command) throws Exception {
        String partner = partnerOf(command.coupleId(), command.authorPersonId());
        entries.newInstance(() -> new Entry(command, partner));
        return command.entryId();
    }

    @CommandHandler
    public void handle(AmendCheckIn command) {
        var entry = entries.load(command.entryId());
        String coupleId = entry.invoke(Entry::coupleId);
        String partner;
        try {
            partner = partnerOf(coupleId, command.personId());
        } catch (DomainException noLongerShared) {
            // the author left, or the couple is dissolved: they keep their entry, nobody else sees it now
            partner = null;
        }
        String visibleTo = partner;
        entry.execute(e -> e.amend(command, visibleTo));
    }

    private String partnerOf(String coupleId, String personId) {
        try {
            return couples.load(coupleId).invoke(couple -> couple.partnerOf(personId).orElse(null));
        } catch (AggregateNotFoundException noSuchCouple) {
            // the answer a couple that is not the author's gets: ids tell nobody who is in a couple
            throw new AccessDenied("not a partner in this couple");
        }
    }
}
