package app.tandem.journal.entry;

import app.tandem.journal.entry.EntryEvents.CheckInAmended;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.entry.EntryEvents.EntryRetracted;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.journal.entry.Timeline.EntryVersion;
import app.tandem.platform.domain.AccessDenied;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** Every version of an entry, read from its own events: the history is the event stream, not a copy of it. */
@Component
public class EntryHistory {

    private final EventStore events;

    public EntryHistory(EventStore events) {
        this.events = events;
    }

    /** Oldest first. Only the author may read an entry's history. */
    public List<EntryVersion> of(String reader, String entryId) {
        List<EntryVersion> versions = new ArrayList<>();
        DomainEventStream stream = events.readEvents(entryId);
        while (stream.hasNext()) {
            DomainEventMessage<?> message = stream.next();
            Object event = message.getPayload();
            EntryVersion previous = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            if (event instanceof CheckInRecorded recorded && recorded.erased()
                    || event instanceof WeeklyReviewRecorded review && review.erased()) {
                break; // its author was erased: nothing of it is left to show, as of an entry that never was
            }
            if (event instanceof CheckInRecorded recorded) {
                versions.add(EntryVersion.of(recorded));
            } else if (event instanceof WeeklyReviewRecorded recorded) {
                versions.add(EntryVersion.of(recorded));
            } else if (event instanceof CheckInAmended amended && previous != null) {
                versions.add(previous.amendedBy(amended));
            } else if (event instanceof EntryRetracted retracted && previous != null) {
                versions.add(previous.retractedBy(retracted));
            }
        }
        // an entry that does not exist and one that is not the reader's get one answer: ids tell nobody what exists
        if (versions.isEmpty() || !versions.get(0).authorPersonId().equals(reader)) {
            throw new AccessDenied("only the author may see an entry's history");
        }
        return versions;
    }
}
