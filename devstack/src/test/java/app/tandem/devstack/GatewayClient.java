package app.tandem.devstack;

import app.tandem.api.v1.CareEvent;
import app.tandem.api.v1.CareServiceGrpc;
import app.tandem.api.v1.ConsentServiceGrpc;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.WatchCareEventsRequest;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.testkit.LocalIdentities;
import io.grpc.CallCredentials;
import io.grpc.Channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A phone, as far as the tests are concerned: a real gRPC client of the gateway, signed in as one person. */
final class GatewayClient {

    /** Who the token says this is, and the id Tandem knows them by. */
    final String subject;
    final String personId;
    private final Channel channel;
    private final CallCredentials token;

    GatewayClient(Channel channel, DevTokenIssuer issuer, String subject) {
        this(channel, issuer, subject, LocalIdentities.shared());
    }

    /** Someone signed in to a Tandem whose gateway has {@code identities}' secrets (a devstack's, say). */
    GatewayClient(Channel channel, DevTokenIssuer issuer, String subject, LocalIdentities identities) {
        this(channel, subject, identities.personIdOf(subject), BearerToken.of(issuer.issue(subject, Duration.ofMinutes(30))));
    }

    GatewayClient(Channel channel, String subject, CallCredentials token) {
        this(channel, subject, LocalIdentities.shared().personIdOf(subject), token);
    }

    private GatewayClient(Channel channel, String subject, String personId, CallCredentials token) {
        this.channel = channel;
        this.subject = subject;
        this.personId = personId;
        this.token = token;
    }

    CallCredentials credentials() {
        return token;
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    CoupleServiceGrpc.CoupleServiceBlockingStub couples() {
        return CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    JournalServiceGrpc.JournalServiceBlockingStub journal() {
        return JournalServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    PlansServiceGrpc.PlansServiceBlockingStub plans() {
        return PlansServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    NotificationServiceGrpc.NotificationServiceBlockingStub notifications() {
        return NotificationServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    ConsentServiceGrpc.ConsentServiceBlockingStub consents() {
        return ConsentServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    CareServiceGrpc.CareServiceBlockingStub care() {
        return CareServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** A counselor's stream of what their clients disclose, after {@code afterCursor} ("" for all). */
    StreamWatch<CareEvent> watchCare(String afterCursor) {
        return new StreamWatch<>(observer -> CareServiceGrpc.newStub(channel).withCallCredentials(token)
                .watchCareEvents(WatchCareEventsRequest.newBuilder().setAfterCursor(afterCursor).build(), observer));
    }

    CreateCoupleResponse createCouple() {
        return couples().createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build());
    }

    void join(String inviteCode) {
        couples().joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode(inviteCode).build());
    }

    String checkIn(String coupleId, Visibility visibility, String note) {
        return journal().recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(coupleId)
                .setMood(3).setCravingIntensity(4).setNote(note).setVisibility(visibility).build()).getCheckInId();
    }

    ListTimelineResponse timeline(String coupleId) {
        return journal().listTimeline(ListTimelineRequest.newBuilder().setCoupleId(coupleId).build());
    }

    /** Every entry this person may read, 100 a page (at most 100 pages). */
    List<TimelineEntry> wholeTimeline(String coupleId) {
        List<TimelineEntry> entries = new ArrayList<>();
        String page = "";
        int pages = 0;
        do {
            if (++pages > 100) {
                throw new IllegalStateException("the timeline of " + coupleId + " never ended");
            }
            ListTimelineResponse response = journal().listTimeline(ListTimelineRequest.newBuilder().setCoupleId(coupleId)
                    .setPageSize(100).setPageToken(page).build());
            entries.addAll(response.getEntriesList());
            page = response.getNextPageToken();
        } while (!page.isEmpty());
        return entries;
    }

    /** Opens the notification stream after {@code afterCursor} ("" for all). */
    NotificationWatch watch(String afterCursor) {
        return NotificationWatch.open(channel, token, afterCursor);
    }
}
