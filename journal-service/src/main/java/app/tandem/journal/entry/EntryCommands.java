package app.tandem.journal.entry;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public final class EntryCommands {

    private EntryCommands() {
    }

    public record RecordCheckIn(String entryId, String coupleId, String authorPersonId, Instant occurredAt, Instant recordedAt,
                                EntryContent.CheckIn content) {
    }

    public record RecordWeeklyReview(String entryId, String coupleId, String authorPersonId, Instant occurredAt,
                                     Instant recordedAt, EntryContent.WeeklyReview content) {
    }

    /** {@code expectedVersion} 0 amends whatever the latest version is. */
    public record AmendCheckIn(@TargetAggregateIdentifier String entryId, String personId, String requestId, int expectedVersion,
                               EntryContent.CheckIn content, Instant now) {
    }

    public record RetractEntry(@TargetAggregateIdentifier String entryId, String personId, String requestId, Instant now) {
    }
}
