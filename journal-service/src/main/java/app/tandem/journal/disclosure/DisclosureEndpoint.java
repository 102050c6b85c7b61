package app.tandem.journal.disclosure;

import app.tandem.api.v1.ReviewScores;
import app.tandem.internal.v1.CareFigures;
import app.tandem.internal.v1.DisclosedEntries;
import app.tandem.internal.v1.GetCareFiguresRequest;
import app.tandem.internal.v1.GetDisclosedEntriesRequest;
import app.tandem.internal.v1.JournalDisclosuresGrpc;
import app.tandem.journal.entry.Timeline;
import app.tandem.journal.entry.TimelineEntries;
import app.tandem.journal.progress.DisclosedLapses;
import app.tandem.journal.progress.ProgressFigures;
import app.tandem.journal.progress.ProgressView;
import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.grpc.Unary;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A partner's own items for care-service, which names the consent it discloses under and checks it; the journal
 * checks the items: only what the person wrote and shared with their partner, never a private or retracted entry,
 * never tags, the note only when asked for. Figures are taken over shared check-ins and reviews alone.
 */
@Service
public class DisclosureEndpoint implements JournalDisclosuresGrpc.AsyncService {

    static final int MAX_ID_LENGTH = 200;
    static final int MAX_ENTRIES = 100;
    static final int WEEKLY_REVIEWS = 26;
    static final Duration LAPSE_WINDOW = Duration.ofDays(30);

    private final Timeline timeline;
    private final TimelineEntries entries;
    private final ProgressView progress;
    private final DisclosedLapses lapses;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public DisclosureEndpoint(Timeline timeline, TimelineEntries entries, ProgressView progress, DisclosedLapses lapses,
                              Clock clock, ReadYourWrites readYourWrites) {
        this.timeline = timeline;
        this.entries = entries;
        this.progress = progress;
        this.lapses = lapses;
        this.clock = clock;
        this.readYourWrites = readYourWrites;
    }

    @Override
    public void getDisclosedEntries(GetDisclosedEntriesRequest request, StreamObserver<DisclosedEntries> response) {
        List<String> ids = request.getEntryIdsList();
        subject(request.getConsentId(), request.getPersonId())
                .require(ids.size() <= MAX_ENTRIES, "entry_ids", "must name at most " + MAX_ENTRIES + " entries")
                .require(ids.stream().allMatch(id -> id.length() <= MAX_ID_LENGTH), "entry_ids",
                        "must each be at most " + MAX_ID_LENGTH + " characters")
                .orThrow();
        DisclosedEntries.Builder result = DisclosedEntries.newBuilder();
        if (!ids.isEmpty()) {
            readYourWrites.awaitProjection(Timeline.PROCESSOR);
            timeline.sharedEntriesOf(request.getPersonId(), ids)
                    .forEach(entry -> result.addEntries(entries.disclosed(entry, request.getIncludeNotes())));
        }
        Unary.reply(response, result.build());
    }

    @Override
    public void getCareFigures(GetCareFiguresRequest request, StreamObserver<CareFigures> response) {
        subject(request.getConsentId(), request.getPersonId()).orThrow();
        String person = request.getPersonId();
        Instant now = clock.instant();
        CareFigures.Builder figures = CareFigures.newBuilder();
        if (request.getCheckInTrends()) {
            readYourWrites.awaitProjection(Timeline.PROCESSOR);
            // never a private check-in: a counselor's figures are of what the person shared
            List<Timeline.EntryVersion> month = timeline.sharedCheckInsOf(person, ProgressFigures.trendsFrom(now));
            figures.setMood(ProgressFigures.mood(month, now)).setCraving(ProgressFigures.craving(month, now));
        }
        if (request.getWeeklyReviews()) {
            readYourWrites.awaitProjection(Timeline.PROCESSOR);
            timeline.sharedReviewsOf(person, WEEKLY_REVIEWS).forEach(review -> figures.addWeeklyReviews(ReviewScores.newBuilder()
                    .setOccurredAt(Timestamps.of(review.occurredAt())).setReview(TimelineEntries.scores(review.review()))));
        }
        if (request.getMilestones()) {
            readYourWrites.awaitProjection(ProgressView.PROCESSOR);
            progress.of(person).ifPresent(p -> figures.setCurrentDaysWithoutUse(ProgressFigures.currentDaysWithoutUse(p, now))
                    .addAllMilestones(ProgressFigures.milestones(p)));
        }
        if (request.getLapses()) {
            readYourWrites.awaitProjection(DisclosedLapses.PROCESSOR);
            figures.setLapses30Days(lapses.countSince(person, now.minus(LAPSE_WINDOW)));
        }
        Unary.reply(response, figures.build());
    }

    /** Whose items, under which consent: both always named. */
    private static Validation subject(String consentId, String personId) {
        return new Validation()
                .requireText(consentId, "consent_id", MAX_ID_LENGTH)
                .requireText(personId, "person_id", MAX_ID_LENGTH);
    }
}
