package app.tandem.journal.couple;

import java.time.Instant;

/** Stored domain events of a couple. They never leave journal-service as they are. */
public final class CoupleEvents {

    private CoupleEvents() {
    }

    public record CoupleCreated(String coupleId, String founderPersonId, String inviteCodeHash, Instant inviteExpiresAt,
                                Instant createdAt) {
    }

    public record PartnerJoined(String coupleId, String personId, String inviteCodeHash, Instant joinedAt) {
    }
}
