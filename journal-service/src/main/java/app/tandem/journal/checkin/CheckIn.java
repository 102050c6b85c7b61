package app.tandem.journal.checkin;

import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.Validation;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** One journal entry. Its author alone decides who sees it. */
@Aggregate
public class CheckIn {

    public static final int MIN_MOOD = 1;
    public static final int MAX_MOOD = 5;
    public static final int MAX_CRAVING = 10;
    public static final Duration MAX_BACKDATING = Duration.ofDays(7);
    /** Devices' clocks drift; a few minutes ahead of ours is still "now". */
    public static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

    @AggregateIdentifier
    private String checkInId;
    private String authorPersonId;
    private Visibility visibility;

    protected CheckIn() {
        // for Axon
    }

    /**
     * Records the check-in. {@code partnerPersonId} comes from the couple, which the recorder has already
     * checked the author belongs to.
     */
    CheckIn(RecordCheckIn command, String partnerPersonId) {
        validate(command.mood(), command.cravingIntensity(), command.occurredAt(), command.recordedAt());
        apply(new CheckInRecorded(command.checkInId(), command.coupleId(), command.authorPersonId(), partnerPersonId,
                command.occurredAt(), command.recordedAt(), command.mood(), command.cravingIntensity(), command.used(),
                command.encryptedNote(), command.visibility()));
    }

    /** The domain's own guard; the edge reports the same rules with the public field names. */
    static void validate(int mood, int cravingIntensity, Instant occurredAt, Instant recordedAt) throws InvalidInput {
        new Validation()
                .requireRange(mood, MIN_MOOD, MAX_MOOD, "mood")
                .requireRange(cravingIntensity, 0, MAX_CRAVING, "craving_intensity")
                .require(!occurredAt.isAfter(recordedAt.plus(CLOCK_TOLERANCE)), "occurred_at", "must not be in the future")
                .require(!occurredAt.isBefore(recordedAt.minus(MAX_BACKDATING)), "occurred_at", "may be back-dated by at most 7 days")
                .orThrow();
    }

    @EventSourcingHandler
    void on(CheckInRecorded event) {
        checkInId = event.checkInId();
        authorPersonId = event.authorPersonId();
        visibility = event.visibility();
    }
}
