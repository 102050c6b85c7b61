package app.tandem.journal;

import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.internal.v1.Actor;
import app.tandem.internal.v1.CouplesInternalGrpc;
import app.tandem.internal.v1.CreateCoupleCall;
import app.tandem.internal.v1.JoinCoupleCall;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.ListTimelineCall;
import app.tandem.internal.v1.ProgressInternalGrpc;
import app.tandem.internal.v1.RecordCheckInCall;
import app.tandem.platform.embedded.RunningService;

import java.util.UUID;

/** journal-service's internal API as the gateway calls it: every request on behalf of an authenticated person. */
final class JournalCalls {

    final CouplesInternalGrpc.CouplesInternalBlockingStub couples;
    final JournalInternalGrpc.JournalInternalBlockingStub entries;
    final ProgressInternalGrpc.ProgressInternalBlockingStub progress;

    JournalCalls(RunningService journal) {
        couples = CouplesInternalGrpc.newBlockingStub(journal.channel());
        entries = JournalInternalGrpc.newBlockingStub(journal.channel());
        progress = ProgressInternalGrpc.newBlockingStub(journal.channel());
    }

    record Pair(String coupleId, String alex, String sam) {
    }

    static Actor actor(String personId) {
        return Actor.newBuilder().setPersonId(personId).build();
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    Pair couple() {
        String alex = "alex-" + key();
        String sam = "sam-" + key();
        CreateCoupleResponse created = couples.createCouple(CreateCoupleCall.newBuilder().setActor(actor(alex))
                .setRequest(CreateCoupleRequest.newBuilder().setIdempotencyKey(key())).build());
        couples.joinCouple(JoinCoupleCall.newBuilder().setActor(actor(sam))
                .setRequest(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode(created.getInviteCode())).build());
        return new Pair(created.getCoupleId(), alex, sam);
    }

    String record(Pair pair, String author, Visibility visibility, String note) {
        return record(author, RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(4).setCravingIntensity(3)
                .setNote(note).setVisibility(visibility));
    }

    String record(String author, RecordCheckInRequest.Builder request) {
        return entries.recordCheckIn(RecordCheckInCall.newBuilder().setActor(actor(author))
                .setRequest(request.setIdempotencyKey(key())).build()).getCheckInId();
    }

    ListTimelineResponse timeline(Pair pair, String reader) {
        return timeline(reader, ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()));
    }

    ListTimelineResponse timeline(String reader, ListTimelineRequest.Builder request) {
        return entries.listTimeline(ListTimelineCall.newBuilder().setActor(actor(reader)).setRequest(request).build());
    }
}
