package app.tandem.journal.checkin;

import java.time.Instant;

/**
 * A check-in as stored. The note is ciphertext under the author's key; {@code partnerPersonId} is the
 * partner at the time of recording, or null when the author had none yet.
 */
public record CheckInRecorded(String checkInId, String coupleId, String authorPersonId, String partnerPersonId,
                              Instant occurredAt, Instant recordedAt, int mood, int cravingIntensity, boolean used,
                              String encryptedNote, Visibility visibility) {
}
