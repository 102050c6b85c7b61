package app.tandem.journal;

import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.Visibility;
import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import app.tandem.platform.security.Caller;
import io.grpc.CallCredentials;

import java.util.Set;
import java.util.UUID;

/** journal-service's public API called straight at its port, as the gateway calls it on behalf of a person. */
final class JournalCalls {

    final CoupleServiceGrpc.CoupleServiceBlockingStub couples;
    final JournalServiceGrpc.JournalServiceBlockingStub entries;
    final JournalServiceGrpc.JournalServiceBlockingStub progress;

    JournalCalls(RunningService journal) {
        couples = CoupleServiceGrpc.newBlockingStub(journal.channel());
        entries = JournalServiceGrpc.newBlockingStub(journal.channel());
        progress = entries;
    }

    record Pair(String coupleId, String alex, String sam) {
    }

    /** The gateway's assertion that {@code personId}, a partner, makes the call. */
    static CallCredentials as(String personId) {
        return LocalIdentities.shared().partner(JournalApplication.NAME, personId);
    }

    static OperatorServiceGrpc.OperatorServiceBlockingStub operator(RunningService journal) {
        return OperatorServiceGrpc.newBlockingStub(journal.channel())
                .withCallCredentials(journal.as(Caller.person("olive-" + key(), Set.of(Role.ROLE_OPERATOR), "", "test")));
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    Pair couple() {
        String alex = "alex-" + key();
        String sam = "sam-" + key();
        CreateCoupleResponse created = couples.withCallCredentials(as(alex))
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build());
        couples.withCallCredentials(as(sam))
                .joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode(created.getInviteCode()).build());
        return new Pair(created.getCoupleId(), alex, sam);
    }

    String record(Pair pair, String author, Visibility visibility, String note) {
        return record(author, RecordCheckInRequest.newBuilder().setCoupleId(pair.coupleId()).setMood(4).setCravingIntensity(3)
                .setNote(note).setVisibility(visibility));
    }

    String record(String author, RecordCheckInRequest.Builder request) {
        return entries.withCallCredentials(as(author)).recordCheckIn(request.setIdempotencyKey(key()).build()).getCheckInId();
    }

    ListTimelineResponse timeline(Pair pair, String reader) {
        return timeline(reader, ListTimelineRequest.newBuilder().setCoupleId(pair.coupleId()));
    }

    ListTimelineResponse timeline(String reader, ListTimelineRequest.Builder request) {
        return entries.withCallCredentials(as(reader)).listTimeline(request.build());
    }
}
