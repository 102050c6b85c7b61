package app.tandem.journal.couple;

import java.time.Instant;
import java.util.List;

/** Stored domain events of a couple. They never leave journal-service as they are. */
public final class CoupleEvents {

    private CoupleEvents() {
    }

    public record CoupleCreated(String coupleId, String founderPersonId, String inviteCodeHash, Instant inviteExpiresAt,
                                Instant createdAt) {
    }

    public record PartnerJoined(String coupleId, String personId, String inviteCodeHash, Instant joinedAt) {
    }

    /** The couple is dissolved: {@code remainingPersonId} (null if nobody had joined) keeps only their own entries. */
    public record PartnerLeft(String coupleId, String personId, String remainingPersonId, Instant leftAt) {
    }

    public record SupportRequested(String requestId, String coupleId, String personId, String partnerPersonId, Instant requestedAt) {
    }

    public record CoupleMilestoneReached(String coupleId, int days, List<String> partnerPersonIds, Instant reachedAt) {
    }
}
