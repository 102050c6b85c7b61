package app.tandem.journal.entry;

import app.tandem.platform.axon.ReadYourWrites;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.AmendEntryResponse;
import app.tandem.api.v1.GetEntryHistoryResponse;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RecordWeeklyReviewResponse;
import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.GetEntryHistoryRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordWeeklyReviewRequest;
import app.tandem.api.v1.RetractEntryRequest;
import app.tandem.journal.couple.CoupleMembers;
import app.tandem.journal.couple.CoupleDirectory.CoupleEntry;
import app.tandem.journal.entry.EntryCommands.AmendCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordCheckIn;
import app.tandem.journal.entry.EntryCommands.RecordWeeklyReview;
import app.tandem.journal.entry.EntryCommands.RetractEntry;
import app.tandem.journal.entry.Timeline.EntryVersion;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.security.Caller;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The journal's entries: record, amend, retract, read. */
@Service
public class JournalEndpoint implements JournalServiceGrpc.AsyncService {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final CommandGateway commands;
    private final CoupleMembers members;
    private final Timeline timeline;
    private final EntryHistory history;
    private final PersonalDataCipher cipher;
    private final TimelineEntries entries;
    private final Clock clock;
    private final ReadYourWrites readYourWrites;

    public JournalEndpoint(CommandGateway commands, CoupleMembers members, Timeline timeline, EntryHistory history,
                           PersonalDataCipher cipher, TimelineEntries entries, Clock clock, ReadYourWrites readYourWrites) {
        this.readYourWrites = readYourWrites;
        this.commands = commands;
        this.members = members;
        this.timeline = timeline;
        this.history = history;
        this.cipher = cipher;
        this.entries = entries;
        this.clock = clock;
    }

    @Override
    public void recordCheckIn(RecordCheckInRequest request, StreamObserver<RecordCheckInResponse> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Instant occurredAt = Timestamps.optional(request.hasOccurredAt(), request.getOccurredAt(), now, "occurred_at");
        CheckInForm form = CheckInForm.of(request);
        form.check(new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)).orThrow();
        Requests.requireUuid(request.getCoupleId(), "couple_id");
        // the domain's rules, before anything is encrypted or stored
        Entry.validate(form.toContent(text -> text), occurredAt, now);
        EntryContent.CheckIn content = form.toContent(text -> cipher.encrypt(actor, text));
        RecordCheckIn command = new RecordCheckIn(Requests.deterministicId("check-in", actor, request.getIdempotencyKey()),
                request.getCoupleId(), actor, occurredAt, now, content);
        create(command);
        response.onNext(RecordCheckInResponse.newBuilder().setCheckInId(command.entryId()).build());
        response.onCompleted();
    }

    @Override
    public void recordWeeklyReview(RecordWeeklyReviewRequest request, StreamObserver<RecordWeeklyReviewResponse> response) {
        String actor = Caller.current().personId();
        Instant now = clock.instant();
        Instant occurredAt = Timestamps.optional(request.hasOccurredAt(), request.getOccurredAt(), now, "occurred_at");
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(request.hasReview(), "review", "is required")
                .require(request.getNote().length() <= CheckInForm.MAX_NOTE_LENGTH, "note",
                        "must be at most " + CheckInForm.MAX_NOTE_LENGTH + " characters")
                .require(CheckInForm.knownVisibility(request.getVisibilityValue()), "visibility", "is not a known visibility")
                .orThrow();
        Requests.requireUuid(request.getCoupleId(), "couple_id");
        Entry.validate(weeklyReview(request, text -> text), occurredAt, now);
        EntryContent.WeeklyReview review = weeklyReview(request, text -> cipher.encrypt(actor, text));
        RecordWeeklyReview command = new RecordWeeklyReview(Requests.deterministicId("weekly-review", actor, request.getIdempotencyKey()),
                request.getCoupleId(), actor, occurredAt, now, review);
        create(command);
        response.onNext(RecordWeeklyReviewResponse.newBuilder().setEntryId(command.entryId()).build());
        response.onCompleted();
    }

    private static EntryContent.WeeklyReview weeklyReview(RecordWeeklyReviewRequest request, UnaryOperator<String> seal) {
        var r = request.getReview();
        return new EntryContent.WeeklyReview(r.getSleepTrouble(), r.getLowMood(), r.getCraving(), r.getRiskySituations(),
                r.getSoberSupport(), r.getConfidence(), r.getMeetings(), r.getSatisfactionWithProgress(),
                seal.apply(request.getNote()), CheckInForm.visibility(request.getVisibilityValue()));
    }

    private void create(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateStreamCreationException alreadyRecorded) {
            // a retry of a request that was already recorded: the same entry, not a second one
        }
    }

    @Override
    public void amendCheckIn(AmendCheckInRequest request, StreamObserver<AmendEntryResponse> response) {
        String actor = Caller.current().personId();
        CheckInForm form = CheckInForm.of(request);
        form.check(new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(request.getExpectedVersion() >= 0, "expected_version", "must not be negative")).orThrow();
        String entryId = Requests.requireUuid(request.getEntryId(), "entry_id");
        Entry.validateContent(form.toContent(text -> text));
        EntryContent.CheckIn content = form.toContent(text -> cipher.encrypt(actor, text));
        changeOwnEntry(new AmendCheckIn(entryId, actor, Requests.deterministicId("amend", actor, request.getIdempotencyKey()),
                request.getExpectedVersion(), content, clock.instant()));
        answerWithLatestVersion(actor, entryId, response);
    }

    @Override
    public void retractEntry(RetractEntryRequest request, StreamObserver<AmendEntryResponse> response) {
        String actor = Caller.current().personId();
        Requests.requireIdempotencyKey(request.getIdempotencyKey(), "idempotency_key");
        String entryId = Requests.requireUuid(request.getEntryId(), "entry_id");
        changeOwnEntry(new RetractEntry(entryId, actor,
                Requests.deterministicId("retract", actor, request.getIdempotencyKey()), clock.instant()));
        answerWithLatestVersion(actor, entryId, response);
    }

    /** An entry that does not exist gets the answer one of someone else's gets: ids tell nobody what exists. */
    private void changeOwnEntry(Object command) {
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException noSuchEntry) {
            throw new AccessDenied("only the author may change an entry");
        }
    }

    private void answerWithLatestVersion(String actor, String entryId, StreamObserver<AmendEntryResponse> response) {
        List<EntryVersion> versions = history.of(actor, entryId);
        response.onNext(AmendEntryResponse.newBuilder().setEntryId(entryId).setVersion(versions.get(versions.size() - 1).version()).build());
        response.onCompleted();
    }

    @Override
    public void getEntryHistory(GetEntryHistoryRequest request, StreamObserver<GetEntryHistoryResponse> response) {
        String actor = Caller.current().personId();
        String entryId = Requests.requireUuid(request.getEntryId(), "entry_id");
        GetEntryHistoryResponse.Builder result = GetEntryHistoryResponse.newBuilder();
        for (EntryVersion version : history.of(actor, entryId)) {
            result.addVersions(entries.toProto(version));
        }
        response.onNext(result.build());
        response.onCompleted();
    }

    @Override
    public void listTimeline(ListTimelineRequest request, StreamObserver<ListTimelineResponse> response) {
        String actor = Caller.current().personId();
        String coupleId = Requests.requireUuid(request.getCoupleId(), "couple_id");
        Instant from = Timestamps.optional(request.hasFrom(), request.getFrom(), null, "from");
        Instant to = Timestamps.optional(request.hasTo(), request.getTo(), null, "to");
        new Validation()
                .requireRange(request.getPageSize(), 0, MAX_PAGE_SIZE, "page_size")
                .require(from == null || to == null || from.isBefore(to), "to", "must be after from")
                .require(request.getKindsValueList().stream().allMatch(k -> k > 0 && k <= Entry.Kind.values().length),
                        "kinds", "names an unknown entry kind")
                .orThrow();
        Timeline.Cursor after = decodeCursor(request.getPageToken());
        // a couple that does not exist and one that is not the caller's get one answer
        CoupleEntry couple = members.find(coupleId).filter(c -> c.isOrWasPartner(actor))
                .orElseThrow(() -> new AccessDenied("not a partner in this couple"));
        Set<Entry.Kind> kinds = EnumSet.noneOf(Entry.Kind.class);
        request.getKindsValueList().forEach(k -> kinds.add(Entry.Kind.values()[k - 1]));
        int limit = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        // a partner who left reads only their own entries; the one who stays no longer sees the leaver's
        List<String> readablePartners = couple.isPartner(actor) ? couple.partnerPersonIds() : List.of(actor);
        readYourWrites.awaitProjection(Timeline.PROCESSOR);
        List<EntryVersion> page = timeline.visibleTo(actor, coupleId, readablePartners, new Timeline.Filter(from, to, kinds), after, limit);
        ListTimelineResponse.Builder result = ListTimelineResponse.newBuilder();
        page.forEach(entry -> result.addEntries(entries.toProto(entry)));
        if (page.size() == limit) {
            EntryVersion last = page.get(page.size() - 1);
            result.setNextPageToken(encodeCursor(new Timeline.Cursor(last.occurredAt(), last.entryId())));
        }
        response.onNext(result.build());
        response.onCompleted();
    }

    static String encodeCursor(Timeline.Cursor cursor) {
        String raw = cursor.occurredAt().toEpochMilli() + ":" + cursor.entryId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Timeline.Cursor decodeCursor(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new Timeline.Cursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon))),
                    Requests.requireUuid(raw.substring(colon + 1), "page_token"));
        } catch (RuntimeException e) {
            throw InvalidInput.of("page_token", "is not a token this service issued");
        }
    }
}
