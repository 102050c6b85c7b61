package app.tandem.journal.checkin;

import java.time.Instant;

public record RecordCheckIn(String checkInId, String coupleId, String authorPersonId, Instant occurredAt, Instant recordedAt,
                            int mood, int cravingIntensity, boolean used, String encryptedNote, Visibility visibility) {
}
