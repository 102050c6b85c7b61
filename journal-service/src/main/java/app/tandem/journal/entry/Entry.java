package app.tandem.journal.entry;

import app.tandem.journal.entry.EntryCommands.AmendCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordWeeklyReview;
import app.tandem.journal.entry.EntryCommands.RetractEntry;
import app.tandem.journal.entry.EntryEvents.CheckInAmended;
import app.tandem.journal.entry.EntryEvents.CheckInRecorded;
import app.tandem.journal.entry.EntryEvents.EntryRetracted;
import app.tandem.journal.entry.EntryEvents.WeeklyReviewRecorded;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.Conflict;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import app.tandem.platform.domain.Validation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One journal entry: a check-in or a weekly review. Its author alone decides who sees it, and alone may amend
 * or retract it. Nothing is overwritten: every change is a new version, and the history keeps them all.
 */
@Aggregate
public class Entry {

    public static final int MIN_MOOD = 1;
    public static final int MAX_MOOD = 5;
    public static final int MAX_CRAVING = 10;
    public static final int MAX_REVIEW_ITEM = 4;
    public static final Duration MAX_BACKDATING = Duration.ofDays(7);
    /** Devices' clocks drift; a few minutes ahead of ours is still "now". */
    public static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

    public enum Kind { CHECK_IN, WEEKLY_REVIEW }

    @AggregateIdentifier
    private String entryId;
    private String coupleId;
    private String authorPersonId;
    private Kind kind;
    private Instant occurredAt;
    private int version;
    private boolean retracted;
    private Visibility visibility;
    private final Set<String> handledRequests = new HashSet<>();

    protected Entry() {
        // for Axon
    }

    /** Records a check-in; {@code partnerPersonId} comes from the couple, which the recorder checked the author is in. */
    Entry(RecordCheckIn command, String partnerPersonId) {
        validate(command.content(), command.occurredAt(), command.recordedAt());
        apply(new CheckInRecorded(command.entryId(), command.coupleId(), command.authorPersonId(), partnerPersonId,
                command.occurredAt(), command.recordedAt(), command.content()));
    }

    Entry(RecordWeeklyReview command, String partnerPersonId) {
        validate(command.content(), command.occurredAt(), command.recordedAt());
        apply(new WeeklyReviewRecorded(command.entryId(), command.coupleId(), command.authorPersonId(), partnerPersonId,
                command.occurredAt(), command.recordedAt(), command.content()));
    }

    /** A new version of the check-in; {@code partnerPersonId} is who may see it now (null: nobody). */
    void amend(AmendCheckIn command, String partnerPersonId) {
        if (handledRequests.contains(command.requestId())) {
            return; // a retry: amended already
        }
        requireAuthor(command.personId());
        if (kind != Kind.CHECK_IN) {
            throw new RuleViolation("only check-ins can be amended; retract the review and record a new one");
        }
        requireNotRetracted();
        if (command.expectedVersion() != 0 && command.expectedVersion() != version) {
            throw new Conflict("the entry changed since version " + command.expectedVersion() + "; it is at version " + version);
        }
        validateContent(command.content());
        boolean newlyShared = partnerPersonId != null && !visibility.sharedWithPartner()
                && command.content().visibility().sharedWithPartner();
        apply(new CheckInAmended(entryId, coupleId, authorPersonId, partnerPersonId, command.requestId(), version + 1,
                occurredAt, command.now(), command.content(), newlyShared));
    }

    @CommandHandler
    public void handle(RetractEntry command) {
        if (handledRequests.contains(command.requestId())) {
            return;
        }
        requireAuthor(command.personId());
        requireNotRetracted();
        apply(new EntryRetracted(entryId, coupleId, authorPersonId, command.requestId(), version + 1, command.now()));
    }

    public String coupleId() {
        return coupleId;
    }

    private void requireAuthor(String personId) {
        // an erased author's entry is nobody's: it reads as one that does not exist
        if (visibility == null || !authorPersonId.equals(personId)) {
            throw new AccessDenied("only the author may change an entry");
        }
    }

    private void requireNotRetracted() {
        if (retracted) {
            throw new RuleViolation("this entry was retracted");
        }
    }

    /** The domain's own guard; the edge reports the same rules with the public field names. */
    static void validate(EntryContent.CheckIn content, Instant occurredAt, Instant recordedAt) throws InvalidInput {
        Validation validation = new Validation();
        validateContent(validation, content);
        validateOccurredAt(validation, occurredAt, recordedAt).orThrow();
    }

    static void validate(EntryContent.WeeklyReview review, Instant occurredAt, Instant recordedAt) throws InvalidInput {
        Validation validation = new Validation()
                .requireRange(review.sleepTrouble(), 0, MAX_REVIEW_ITEM, "review.sleep_trouble")
                .requireRange(review.lowMood(), 0, MAX_REVIEW_ITEM, "review.low_mood")
                .requireRange(review.craving(), 0, MAX_REVIEW_ITEM, "review.craving")
                .requireRange(review.riskySituations(), 0, MAX_REVIEW_ITEM, "review.risky_situations")
                .requireRange(review.soberSupport(), 0, MAX_REVIEW_ITEM, "review.sober_support")
                .requireRange(review.confidence(), 0, MAX_REVIEW_ITEM, "review.confidence")
                .requireRange(review.meetings(), 0, MAX_REVIEW_ITEM, "review.meetings")
                .requireRange(review.satisfactionWithProgress(), 0, MAX_REVIEW_ITEM, "review.satisfaction_with_progress");
        validateOccurredAt(validation, occurredAt, recordedAt).orThrow();
    }

    static void validateContent(EntryContent.CheckIn content) throws InvalidInput {
        Validation validation = new Validation();
        validateContent(validation, content);
        validation.orThrow();
    }

    private static void validateContent(Validation validation, EntryContent.CheckIn content) {
        validation.requireRange(content.mood(), MIN_MOOD, MAX_MOOD, "mood")
                .requireRange(content.cravingIntensity(), 0, MAX_CRAVING, "craving_intensity")
                .require(content.used() || content.use().equals(EntryContent.UseDetails.NONE), "use", "is only given with used = true");
    }

    /** When something happened: back-dated by at most 7 days, never in the future. */
    public static Validation validateOccurredAt(Validation validation, Instant occurredAt, Instant recordedAt) {
        return validation
                .require(!occurredAt.isAfter(recordedAt.plus(CLOCK_TOLERANCE)), "occurred_at", "must not be in the future")
                .require(!occurredAt.isBefore(recordedAt.minus(MAX_BACKDATING)), "occurred_at", "may be back-dated by at most 7 days");
    }

    @EventSourcingHandler
    void on(CheckInRecorded event) {
        created(event.entryId(), event.coupleId(), event.authorPersonId(), Kind.CHECK_IN, event.occurredAt(), event.erased() ? null : event.content().visibility());
    }

    @EventSourcingHandler
    void on(WeeklyReviewRecorded event) {
        created(event.entryId(), event.coupleId(), event.authorPersonId(), Kind.WEEKLY_REVIEW, event.occurredAt(), event.erased() ? null : event.content().visibility());
    }

    private void created(String entryId, String coupleId, String authorPersonId, Kind kind, Instant occurredAt, Visibility visibility) {
        this.entryId = entryId;
        this.coupleId = coupleId;
        this.authorPersonId = authorPersonId;
        this.kind = kind;
        this.occurredAt = occurredAt;
        this.visibility = visibility;
        this.version = 1;
    }

    @EventSourcingHandler
    void on(CheckInAmended event) {
        version = event.version();
        visibility = event.erased() ? null : event.content().visibility();
        handledRequests.add(event.requestId());
    }

    @EventSourcingHandler
    void on(EntryRetracted event) {
        version = event.version();
        retracted = true;
        handledRequests.add(event.requestId());
    }
}
