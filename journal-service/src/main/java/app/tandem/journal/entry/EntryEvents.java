package app.tandem.journal.entry;

import app.tandem.platform.privacy.PersonalFacts;

import java.time.Instant;

/**
 * Stored domain events of a journal entry. {@code partnerPersonId} is the partner the entry could be shared with
 * at that moment, or null when the author had none (not joined yet, or the couple was dissolved). What an entry says
 * is sealed under its author's key in the store, and null once the author was erased.
 */
public final class EntryEvents {

    private EntryEvents() {
    }

    public record CheckInRecorded(String entryId, String coupleId, String authorPersonId, String partnerPersonId,
                                  Instant occurredAt, Instant recordedAt,
                                  @PersonalFacts(owner = "authorPersonId") EntryContent.CheckIn content) {
        public boolean erased() {
            return content == null;
        }
    }

    public record WeeklyReviewRecorded(String entryId, String coupleId, String authorPersonId, String partnerPersonId,
                                       Instant occurredAt, Instant recordedAt,
                                       @PersonalFacts(owner = "authorPersonId") EntryContent.WeeklyReview content) {
        public boolean erased() {
            return content == null;
        }
    }

    /** A new version of a check-in; {@code newlyShared} when this version is the first its partner may see. */
    public record CheckInAmended(String entryId, String coupleId, String authorPersonId, String partnerPersonId,
                                 String requestId, int version, Instant occurredAt, Instant amendedAt,
                                 @PersonalFacts(owner = "authorPersonId") EntryContent.CheckIn content, boolean newlyShared) {
        public boolean erased() {
            return content == null;
        }
    }

    public record EntryRetracted(String entryId, String coupleId, String authorPersonId, String requestId, int version,
                                 Instant retractedAt) {
    }
}
