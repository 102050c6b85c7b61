package app.tandem.journal.checkin;

import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RecordCheckInResponse;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.ListTimelineCall;
import app.tandem.internal.v1.RecordCheckInCall;
import app.tandem.journal.couple.CoupleDirectory;
import app.tandem.journal.couple.CoupleDirectory.CoupleEntry;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.NotFound;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.Requests;
import app.tandem.platform.grpc.Timestamps;
import io.grpc.stub.StreamObserver;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The journal over internal gRPC: record check-ins, read the timeline. */
@Service
public class JournalEndpoint extends JournalInternalGrpc.JournalInternalImplBase {

    static final int MAX_NOTE_LENGTH = 4000;
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final CommandGateway commands;
    private final CoupleDirectory directory;
    private final Timeline timeline;
    private final PersonalDataCipher cipher;
    private final Clock clock;

    public JournalEndpoint(CommandGateway commands, CoupleDirectory directory, Timeline timeline, PersonalDataCipher cipher, Clock clock) {
        this.commands = commands;
        this.directory = directory;
        this.timeline = timeline;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public void recordCheckIn(RecordCheckInCall call, StreamObserver<RecordCheckInResponse> response) {
        String actor = Requests.actor(call.getActor());
        RecordCheckInRequest request = call.getRequest();
        Instant now = clock.instant();
        Instant occurredAt = request.hasOccurredAt() ? Timestamps.toInstant(request.getOccurredAt()) : now;
        new Validation()
                .requireText(request.getIdempotencyKey(), "idempotency_key", Requests.MAX_IDEMPOTENCY_KEY_LENGTH)
                .require(request.getNote().length() <= MAX_NOTE_LENGTH, "note", "must be at most " + MAX_NOTE_LENGTH + " characters")
                .require(request.getVisibilityValue() >= 0 && request.getVisibilityValue() <= 2, "visibility", "is not a known visibility")
                .orThrow();
        Requests.requireUuid(request.getCoupleId(), "couple_id");
        Visibility visibility = visibility(request.getVisibility());
        // the domain's rules, before anything is encrypted or stored
        CheckIn.validate(request.getMood(), request.getCravingIntensity(), occurredAt, now);
        RecordCheckIn command = new RecordCheckIn(
                Requests.deterministicId("check-in", actor, request.getIdempotencyKey()),
                request.getCoupleId(), actor, occurredAt, now, request.getMood(), request.getCravingIntensity(),
                request.getUsed(), cipher.encrypt(actor, request.getNote()), visibility);
        try {
            commands.sendAndWait(command);
        } catch (AggregateStreamCreationException alreadyRecorded) {
            // a retry of a request that was already recorded: the same entry, not a second one
        }
        response.onNext(RecordCheckInResponse.newBuilder().setCheckInId(command.checkInId()).build());
        response.onCompleted();
    }

    @Override
    public void listTimeline(ListTimelineCall call, StreamObserver<ListTimelineResponse> response) {
        String actor = Requests.actor(call.getActor());
        String coupleId = Requests.requireUuid(call.getRequest().getCoupleId(), "couple_id");
        int pageSize = call.getRequest().getPageSize();
        new Validation().requireRange(pageSize, 0, MAX_PAGE_SIZE, "page_size").orThrow();
        Timeline.Cursor after = decodeCursor(call.getRequest().getPageToken());
        CoupleEntry couple = directory.find(coupleId).orElseThrow(() -> new NotFound("no such couple"));
        if (!couple.partnerPersonIds().contains(actor)) {
            throw new AccessDenied("not a partner in this couple");
        }
        int limit = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        List<Timeline.Entry> page = timeline.visibleTo(actor, coupleId, couple.partnerPersonIds(), after, limit);
        ListTimelineResponse.Builder result = ListTimelineResponse.newBuilder();
        for (Timeline.Entry entry : page) {
            result.addEntries(TimelineEntry.newBuilder()
                    .setCheckInId(entry.checkInId())
                    .setAuthorPersonId(entry.authorPersonId())
                    .setOccurredAt(Timestamps.of(entry.occurredAt()))
                    .setMood(entry.mood())
                    .setCravingIntensity(entry.cravingIntensity())
                    .setUsed(entry.used())
                    // an erased author's note stays unreadable
                    .setNote(cipher.decrypt(entry.authorPersonId(), entry.encryptedNote()).orElse(""))
                    .setVisibility(app.tandem.api.v1.Visibility.valueOf(entry.visibility().name())));
        }
        if (page.size() == limit) {
            Timeline.Entry last = page.get(page.size() - 1);
            result.setNextPageToken(encodeCursor(new Timeline.Cursor(last.occurredAt(), last.checkInId())));
        }
        response.onNext(result.build());
        response.onCompleted();
    }

    private static Visibility visibility(app.tandem.api.v1.Visibility visibility) {
        return visibility == app.tandem.api.v1.Visibility.SHARED_WITH_PARTNER ? Visibility.SHARED_WITH_PARTNER : Visibility.PRIVATE;
    }

    static String encodeCursor(Timeline.Cursor cursor) {
        String raw = cursor.occurredAt().toEpochMilli() + ":" + cursor.checkInId();
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
