package app.tandem.devstack;

import app.tandem.api.v1.AcknowledgeSafetyPlanRequest;
import app.tandem.api.v1.AmendCheckInRequest;
import app.tandem.api.v1.Boundary;
import app.tandem.api.v1.BoundaryAppliesTo;
import app.tandem.api.v1.BoundaryCategory;
import app.tandem.api.v1.CompleteRelapseResponseTaskRequest;
import app.tandem.api.v1.ConfirmContactRequest;
import app.tandem.api.v1.ContactChannel;
import app.tandem.api.v1.ContactState;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.GetEntryHistoryRequest;
import app.tandem.api.v1.GetGoalsRequest;
import app.tandem.api.v1.GetPreferencesRequest;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.ListBoundariesRequest;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.MarkReadRequest;
import app.tandem.api.v1.Milestone;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.ProposeBoundaryRequest;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RelapseResponseStep;
import app.tandem.api.v1.RequestSupportRequest;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.RelapseRole;
import app.tandem.api.v1.RelapseTimeframe;
import app.tandem.api.v1.RetractEntryRequest;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.SnoozePartnerRequest;
import app.tandem.api.v1.Stats;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.Visibility;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.time.SettableClock;
import app.tandem.testkit.DevTokenIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tandem through the public gateway with a real gRPC client: every service running, on real
 * Kafka and a MongoDB wire server reached over TCP. Subclasses choose which Kafka and MongoDB.
 */
abstract class EndToEndScenarios {

    private static TandemUnderTest tandem;
    /** Whether this class started {@link #tandem} and so stops it. */
    private static boolean owned;
    private static ManagedChannel gateway;
    private static DevTokenIssuer issuer;
    /** The services' clock: real time, moved forward only by the scenarios that live days (which never look back). */
    private static SettableClock clock;

    /** @param serviceSettings every service's settings for this MongoDB and Kafka (the topics' replicas, ...) */
    static void startTandem(String mongoUri, String kafkaBootstrapServers, Map<String, Object> serviceSettings) {
        use(new TandemUnderTest(mongoUri, kafkaBootstrapServers, serviceSettings));
        owned = true;
    }

    static void use(TandemUnderTest running) {
        tandem = running;
        gateway = tandem.gateway;
        issuer = tandem.issuer;
        clock = tandem.clock;
    }

    /** Stops the Tandem this class started, once; one it shares with other classes runs on. */
    @AfterAll
    static void stopTandem() {
        if (tandem != null && owned) {
            tandem.close();
        }
        tandem = null;
        owned = false;
    }

    private GatewayClient person(String name) {
        return tandem.person(name);
    }

    private record Couple(String coupleId, GatewayClient a, GatewayClient b) {
    }

    private Couple couple() {
        GatewayClient a = person("alex");
        GatewayClient b = person("sam");
        CreateCoupleResponse created = a.createCouple();
        b.join(created.getInviteCode());
        return new Couple(created.getCoupleId(), a, b);
    }

    private static Notification nextCheckIn(NotificationWatch stream, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Notification next;
        while ((next = stream.next(Duration.between(Instant.now(), deadline).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), deadline))) != null) {
            if (next.getKind() == NotificationKind.PARTNER_CHECKED_IN) {
                return next;
            }
        }
        return null;
    }

    @Test
    void aSharedCheckInReachesThePartnersStreamAndAPrivateOneNeverDoes() throws InterruptedException {
        Couple couple = couple();
        try (NotificationWatch samsStream = couple.b().watch("")) {
            String secret = couple.a().checkIn(couple.coupleId(), Visibility.PRIVATE, "nobody else reads this");
            String shared = couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "better after our walk");

            Notification prompt = nextCheckIn(samsStream, Duration.ofSeconds(20));
            assertThat(prompt).isNotNull();
            assertThat(prompt.getCheckInId()).isEqualTo(shared).isNotEqualTo(secret);
            assertThat(prompt.getCoupleId()).isEqualTo(couple.coupleId());
            // lock-screen safe: nothing the partner wrote, nor their mood or craving
            assertThat(prompt.getTitle() + prompt.getBody()).doesNotContain("walk").doesNotContain("nobody");
            assertThat(nextCheckIn(samsStream, Duration.ofSeconds(2))).as("the private check-in prompts nobody").isNull();
        }
        assertThat(couple.b().timeline(couple.coupleId()).getEntriesList())
                .extracting("note").containsExactly("better after our walk");
    }

    @Test
    void theFounderIsToldWhenTheirPartnerJoins() throws InterruptedException {
        GatewayClient alex = person("alex");
        try (NotificationWatch stream = alex.watch("")) {
            CreateCoupleResponse created = alex.createCouple();
            person("sam").join(created.getInviteCode());
            Notification joined = stream.next(Duration.ofSeconds(20));
            assertThat(joined).isNotNull();
            assertThat(joined.getKind()).isEqualTo(NotificationKind.PARTNER_JOINED);
        }
    }

    @Test
    void aStreamResumedFromItsCursorMissesNothingAndRepeatsNothing() throws InterruptedException {
        Couple couple = couple();
        List<String> seen = new ArrayList<>();
        String cursor;
        try (NotificationWatch first = couple.b().watch("")) {
            seen.add(couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "one"));
            Notification n = nextCheckIn(first, Duration.ofSeconds(20));
            assertThat(n).isNotNull();
            cursor = n.getCursor();
        }
        String whileAway1 = couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "two");
        String whileAway2 = couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "three");
        try (NotificationWatch resumed = couple.b().watch(cursor)) {
            List<String> afterReconnect = new ArrayList<>();
            Notification n;
            while (afterReconnect.size() < 2 && (n = nextCheckIn(resumed, Duration.ofSeconds(20))) != null) {
                afterReconnect.add(n.getCheckInId());
            }
            assertThat(afterReconnect).containsExactly(whileAway1, whileAway2);
            assertThat(nextCheckIn(resumed, Duration.ofSeconds(1))).isNull();
        }
    }

    @Test
    void aCallWithoutAValidTokenIsUnauthenticated() {
        CallCredentials expired = BearerToken.of(issuer.sign("alex", DevTokenIssuer.ISSUER, Instant.now().minusSeconds(7200), Duration.ofHours(1)));
        CallCredentials foreignIssuer = BearerToken.of(issuer.sign("alex", "https://elsewhere.example", Instant.now(), Duration.ofHours(1)));
        CallCredentials foreignKey = BearerToken.of(DevTokenIssuer.generate().issue("alex", Duration.ofHours(1)));
        CallCredentials garbage = BearerToken.of("not-a-token");
        var unauthenticated = app.tandem.api.v1.CoupleServiceGrpc.newBlockingStub(gateway);
        for (var stub : List.of(unauthenticated, unauthenticated.withCallCredentials(expired), unauthenticated.withCallCredentials(foreignIssuer),
                unauthenticated.withCallCredentials(foreignKey), unauthenticated.withCallCredentials(garbage))) {
            assertThatThrownBy(() -> stub.createCouple(app.tandem.api.v1.CreateCoupleRequest.newBuilder().setIdempotencyKey("k").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void healthChecksNeedNoToken() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(gateway).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void someoneOutsideTheCoupleIsDeniedItsJournal() {
        Couple couple = couple();
        couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "ours");
        GatewayClient outsider = person("robin");
        assertThatThrownBy(() -> outsider.couples().getCouple(GetCoupleRequest.newBuilder().setCoupleId(couple.coupleId()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> outsider.timeline(couple.coupleId()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> outsider.checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "let me in"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void malformedRequestsNameTheFieldAndStoreNothing() {
        Couple couple = couple();
        Map<String, RecordCheckInRequest.Builder> invalid = Map.of(
                "mood", RecordCheckInRequest.newBuilder().setMood(0).setCravingIntensity(2),
                "craving_intensity", RecordCheckInRequest.newBuilder().setMood(3).setCravingIntensity(11),
                "note", RecordCheckInRequest.newBuilder().setMood(3).setCravingIntensity(2).setNote("x".repeat(4001)),
                "occurred_at", RecordCheckInRequest.newBuilder().setMood(3).setCravingIntensity(2)
                        .setOccurredAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(clock.instant().plus(Duration.ofDays(1)).getEpochSecond())),
                "idempotency_key", RecordCheckInRequest.newBuilder().setMood(3).setCravingIntensity(2));
        invalid.forEach((field, request) -> {
            request.setCoupleId(couple.coupleId());
            if (!field.equals("idempotency_key")) {
                request.setIdempotencyKey(GatewayClient.key());
            }
            assertThatThrownBy(() -> couple.a().journal().recordCheckIn(request.build()))
                    .as(field)
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(FieldViolations.fieldsOf(e)).containsExactly(field);
                    });
        });
        assertThatThrownBy(() -> couple.a().journal().listTimeline(ListTimelineRequest.newBuilder().setCoupleId("not-a-couple").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly("couple_id"));

        assertThatThrownBy(() -> couple.a().couples().createCouple(app.tandem.api.v1.CreateCoupleRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly("idempotency_key"));
        assertThatThrownBy(() -> couple.b().notifications()
                .watchNotifications(app.tandem.api.v1.WatchNotificationsRequest.newBuilder().setAfterCursor("yesterday").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(FieldViolations.fieldsOf(e)).containsExactly("after_cursor");
                });

        // a valid entry afterwards is the only one there: none of the refused ones was stored
        String valid = couple.a().checkIn(couple.coupleId(), Visibility.PRIVATE, "");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(couple.a().timeline(couple.coupleId()).getEntriesList()).extracting("checkInId").containsExactly(valid));
    }

    @Test
    void aRetriedCheckInIsRecordedOnce() {
        Couple couple = couple();
        RecordCheckInRequest request = RecordCheckInRequest.newBuilder().setIdempotencyKey("flaky-network")
                .setCoupleId(couple.coupleId()).setMood(2).setCravingIntensity(8).setVisibility(Visibility.SHARED_WITH_PARTNER).build();
        String first = couple.a().journal().recordCheckIn(request).getCheckInId();
        String retry = couple.a().journal().recordCheckIn(request).getCheckInId();
        assertThat(retry).isEqualTo(first);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(couple.b().timeline(couple.coupleId()).getEntriesList()).extracting("checkInId").containsExactly(first));
    }

    /**
     * A couple's first thirty days in seconds: the services' clock moves forward a day at a time. Both partners
     * check in every day and share it; Sam lapses on day 12; Alex also keeps private entries. Milestones must come
     * on their day, exactly once (the couple's on their daily schedule), and nothing private may ever reach Sam.
     */
    @Test
    void aCoupleLivesThirtyDays() throws InterruptedException {
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        CreateCoupleResponse created = alex.createCouple();
        sam.join(created.getInviteCode());
        String couple = created.getCoupleId();
        Instant dayZero = clock.instant();
        for (GatewayClient partner : List.of(alex, sam)) {
            partner.journal().setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setKind(GoalKind.ABSTINENCE)
                    .addSubstances(Substance.ALCOHOL).setShareProgressWithPartner(true).build());
        }

        List<String> alexPrivate = new ArrayList<>();
        List<String> alexShared = new ArrayList<>();
        List<String> samShared = new ArrayList<>();
        for (int day = 1; day <= 30; day++) {
            clock.advance(Duration.ofDays(1));
            alexShared.add(alex.checkIn(couple, Visibility.SHARED_WITH_PARTNER, "alex day " + day));
            alexPrivate.add(alex.checkIn(couple, Visibility.PRIVATE, "alex private day " + day));
            RecordCheckInRequest.Builder samsDay = RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                    .setCoupleId(couple).setMood(day == 12 ? 1 : 4).setCravingIntensity(day == 12 ? 9 : 2)
                    .setVisibility(Visibility.SHARED_WITH_PARTNER).setNote("sam day " + day);
            if (day == 12) {
                samsDay.setUsed(true).setUse(UseDetails.newBuilder().addSubstances(Substance.ALCOHOL).setNaloxoneAtHand(true));
            }
            samShared.add(sam.journal().recordCheckIn(samsDay.build()).getCheckInId());
        }

        // milestones on their day: Alex 1, 3, 7, 14, 30; Sam 1, 3, 7, then a new run from day 12
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(milestoneDays(alex, dayZero)).containsExactly(Map.entry(1, 1), Map.entry(3, 3), Map.entry(7, 7),
                    Map.entry(14, 14), Map.entry(30, 30));
            assertThat(milestoneDays(sam, dayZero)).containsExactly(Map.entry(1, 1), Map.entry(3, 3), Map.entry(7, 7),
                    Map.entry(1, 13), Map.entry(3, 15), Map.entry(7, 19), Map.entry(14, 26));
        });
        Stats samStats = stats(sam);
        // the run since the lapse is already longer than the twelve days before it, which still count in the total
        assertThat(samStats.getLongestStreakDays()).isBetween(17.9, 18.1);
        assertThat(samStats.getCurrentStreakDays()).isBetween(17.9, 18.1);
        assertThat(samStats.getTotalDaysWithoutUse()).isBetween(29.0, 30.0);
        assertThat(stats(alex).getCurrentStreakDays()).isBetween(29.9, 30.1);

        // couple milestones come on their daily schedule, at midnight (UTC), never with a check-in: the thirtieth the night after
        clock.advance(Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (GatewayClient partner : List.of(alex, sam)) {
                assertThat(titles(allNotifications(partner), NotificationKind.COUPLE_MILESTONE_REACHED)).contains("30 days together");
            }
        });

        // each prompt exactly once, to the right person
        List<Notification> toAlex = allNotifications(alex);
        List<Notification> toSam = allNotifications(sam);
        assertThat(titles(toAlex, NotificationKind.MILESTONE_REACHED)).containsExactly(
                "1 day without use", "3 days without use", "7 days without use", "14 days without use", "30 days without use");
        assertThat(titles(toSam, NotificationKind.MILESTONE_REACHED)).containsExactly(
                "1 day without use", "3 days without use", "7 days without use",
                "1 day without use", "3 days without use", "7 days without use", "14 days without use");
        assertThat(bodies(toSam, NotificationKind.PARTNER_MILESTONE_REACHED)).hasSize(5);
        assertThat(bodies(toAlex, NotificationKind.PARTNER_MILESTONE_REACHED)).hasSize(7);
        for (List<Notification> inbox : List.of(toAlex, toSam)) {
            assertThat(titles(inbox, NotificationKind.COUPLE_MILESTONE_REACHED))
                    .containsExactly("1 day together", "3 days together", "7 days together", "14 days together", "30 days together");
            assertThat(inbox).extracting(Notification::getNotificationId).doesNotHaveDuplicates();
        }
        assertThat(toAlex).filteredOn(n -> n.getKind() == NotificationKind.PARTNER_LAPSED).singleElement()
                .satisfies(n -> assertThat(n.getCheckInId()).isEqualTo(samShared.get(11)));
        assertThat(toSam).filteredOn(n -> n.getKind() == NotificationKind.LAPSE_SELF_CARE).hasSize(1);
        assertThat(toSam).filteredOn(n -> n.getKind() == NotificationKind.PARTNER_CHECKED_IN)
                .extracting(Notification::getCheckInId).containsExactlyInAnyOrderElementsOf(alexShared);

        // Sam sees Alex's shared entries and never a private one, in the timeline or in a prompt
        List<TimelineEntry> samsTimeline = sam.wholeTimeline(couple);
        assertThat(samsTimeline).extracting(TimelineEntry::getCheckInId)
                .containsAll(alexShared).containsAll(samShared).doesNotContainAnyElementsOf(alexPrivate);
        assertThat(samsTimeline).extracting(TimelineEntry::getNote).noneMatch(note -> note.contains("private"));
        assertThat(toSam).extracting(Notification::getCheckInId).doesNotContainAnyElementsOf(alexPrivate);
        assertThat(toSam).allSatisfy(n -> assertThat(n.getTitle() + n.getBody()).doesNotContain("private"));

        // Sam leaves: Alex loses Sam's shared entries at once, Sam keeps them
        sam.couples().leaveCouple(LeaveCoupleRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple).build());
        assertThat(alex.wholeTimeline(couple)).extracting(TimelineEntry::getCheckInId)
                .doesNotContainAnyElementsOf(samShared).containsAll(alexShared).containsAll(alexPrivate);
        assertThat(sam.wholeTimeline(couple)).extracting(TimelineEntry::getCheckInId).containsExactlyInAnyOrderElementsOf(samShared);
    }

    /**
     * A lapse disclosed on its own, outside a check-in, starts a new run at once: the next day's check-in
     * celebrates its first day, though the run before it had nothing due for another four days.
     */
    @Test
    void aLapseDisclosedOnItsOwnStartsANewRunAtOnce() {
        Couple pair = couple();
        GatewayClient alex = pair.a();
        String couple = pair.coupleId();
        Instant dayZero = clock.instant();
        alex.journal().setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setKind(GoalKind.ABSTINENCE)
                .addSubstances(Substance.ALCOHOL).build());
        for (int day = 1; day <= 12; day++) {
            clock.advance(Duration.ofDays(1));
            if (day == 10) {
                alex.journal().discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple)
                        .setUse(UseDetails.newBuilder().addSubstances(Substance.ALCOHOL)).build());
            }
            alex.checkIn(couple, Visibility.SHARED_WITH_PARTNER, "day " + day);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(milestoneDays(alex, dayZero))
                .containsExactly(Map.entry(1, 1), Map.entry(3, 3), Map.entry(7, 7), Map.entry(1, 11)));
    }

    /** (milestone days, day it was reached on) in the order reached. */
    private static List<Map.Entry<Integer, Integer>> milestoneDays(GatewayClient person, Instant dayZero) {
        List<Map.Entry<Integer, Integer>> result = new ArrayList<>();
        for (Milestone milestone : stats(person).getMilestonesList()) {
            Instant reached = Timestamps.toInstant(milestone.getReachedAt());
            result.add(Map.entry(milestone.getDays(), (int) Duration.between(dayZero, reached).toDays()));
        }
        return result;
    }

    private static Stats stats(GatewayClient person) {
        return person.journal().getStats(GetStatsRequest.getDefaultInstance());
    }

    /** A partner cannot flood the other with "I need support now": a few an hour are pushed, the rest only listed. */
    @Test
    void twentyCallsForSupportInAMinuteReachThePartnerAsAFewPushes() throws InterruptedException {
        Couple couple = couple();
        // pushes are counted per hour of the services' clock: all twenty are handled within one
        Instant nextHour = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        if (Duration.between(clock.instant(), nextHour).compareTo(Duration.ofMinutes(5)) < 0) {
            clock.advanceTo(nextHour.plusSeconds(1));
        }
        for (int i = 0; i < 20; i++) {
            couple.a().journal().requestSupport(RequestSupportRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                    .setCoupleId(couple.coupleId()).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> couple.b().notifications().listNotifications(ListNotificationsRequest.newBuilder()
                .setPageSize(100).build()).getNotificationsList().stream().filter(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED).count() == 20);
        List<Notification> pushed = allNotifications(couple.b()).stream().filter(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED).toList();
        assertThat(pushed).as("pushed on the partner's stream").hasSize(3);
    }

    /** A person snoozes their partner: the partner's call for support is listed, not pushed, and the couple stays. */
    @Test
    void aSnoozedPartnersCallForSupportIsListedButNotPushed() throws InterruptedException {
        Couple couple = couple();
        assertThat(couple.b().notifications().snoozePartner(SnoozePartnerRequest.newBuilder().setCoupleId(couple.coupleId())
                .setMinutes(60).build()).hasSnoozedUntil()).isTrue();
        couple.a().journal().requestSupport(RequestSupportRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple.coupleId()).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> couple.b().notifications().listNotifications(ListNotificationsRequest
                .getDefaultInstance()).getNotificationsList().stream().anyMatch(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED));
        assertThat(allNotifications(couple.b())).noneMatch(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED);
        assertThat(couple.b().couples().getCouple(GetCoupleRequest.newBuilder().setCoupleId(couple.coupleId()).build()).getCoupleId())
                .as("still a couple").isEqualTo(couple.coupleId());
    }

    /** Everything in the person's inbox, read from the start of their stream until it stays quiet. */
    private static List<Notification> allNotifications(GatewayClient person) throws InterruptedException {
        List<Notification> all = new ArrayList<>();
        try (NotificationWatch stream = person.watch("")) {
            Notification next;
            while ((next = stream.next(Duration.ofSeconds(3))) != null) {
                all.add(next);
            }
        }
        return all;
    }

    private static List<String> titles(List<Notification> notifications, NotificationKind kind) {
        return notifications.stream().filter(n -> n.getKind() == kind).map(Notification::getTitle).collect(Collectors.toList());
    }

    private static List<String> bodies(List<Notification> notifications, NotificationKind kind) {
        return notifications.stream().filter(n -> n.getKind() == kind).map(Notification::getBody).collect(Collectors.toList());
    }

    /** The couple agrees a safety plan; a lapse shared in a check-in reaches plans through Kafka and both partners get their steps. */
    @Test
    void aLapseCheckInStartsTheRelapseResponseOfTheAgreedPlan() {
        Couple couple = couple();
        agreeOnAPlanAndShareALapse(couple);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(tasks(couple.a(), couple.coupleId())).contains(IF_I_LAPSE);
            assertThat(tasks(couple.b(), couple.coupleId())).contains(IF_MY_PARTNER_LAPSES);
        });
    }

    private static final String IF_I_LAPSE = "Tell Sam and call my sponsor";
    private static final String IF_MY_PARTNER_LAPSES = "Stay calm and check the naloxone";

    /** {@code a} aims for abstinence, both agree a plan with a step each for a's lapse, and a shares a check-in with use. */
    private static void agreeOnAPlanAndShareALapse(Couple couple) {
        couple.a().journal().setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setKind(GoalKind.ABSTINENCE).build());
        agreeOnAPlanWithBothRelapseSteps(couple);
        couple.a().journal().recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setCoupleId(couple.coupleId()).setMood(2).setCravingIntensity(7).setUsed(true)
                .setVisibility(Visibility.SHARED_WITH_PARTNER).build());
    }

    /** A plan both agreed, with {@code a}'s immediate step for their own lapse and {@code b}'s for a's. */
    private static void agreeOnAPlanWithBothRelapseSteps(Couple couple) {
        Map<GatewayClient, RelapseResponseStep> steps = Map.of(
                couple.a(), RelapseResponseStep.newBuilder().setTimeframe(RelapseTimeframe.RELAPSE_IMMEDIATELY)
                        .setRole(RelapseRole.RELAPSE_ROLE_IF_I_LAPSE).setText(IF_I_LAPSE).build(),
                couple.b(), RelapseResponseStep.newBuilder().setTimeframe(RelapseTimeframe.RELAPSE_IMMEDIATELY)
                        .setRole(RelapseRole.RELAPSE_ROLE_IF_MY_PARTNER_LAPSES).setText(IF_MY_PARTNER_LAPSES).build());
        // plans-service learns the couple from the journal's events, a moment after the join
        steps.forEach((partner, step) -> await().atMost(Duration.ofSeconds(20)).ignoreException(StatusRuntimeException.class).untilAsserted(() ->
                partner.plans().editSafetyPlanSection(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                        .setCoupleId(couple.coupleId()).setSection(SafetyPlanSection.newBuilder().addRelapseResponse(step)).build())));
        for (GatewayClient partner : List.of(couple.a(), couple.b())) {
            partner.plans().acknowledgeSafetyPlan(AcknowledgeSafetyPlanRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                    .setCoupleId(couple.coupleId()).setVersion(1).build());
        }
    }

    /**
     * The first list in which a lapse's tasks appear holds all of them: each partner's own step is there at once, not
     * after a later look. Run several times, as the partial list appeared once in two runs.
     */
    @Test
    void eachPartnersOwnPlanStepIsInTheFirstListThatShowsTheLapse() {
        for (int run = 0; run < 5; run++) {
            Couple couple = couple();
            agreeOnAPlanAndShareALapse(couple);

            List<String> first = await().atMost(Duration.ofSeconds(30)).until(() -> tasks(couple.a(), couple.coupleId()), list -> !list.isEmpty());
            assertThat(first).as("run %d: the lapsed partner's first list", run).contains(IF_I_LAPSE);
            assertThat(tasks(couple.b(), couple.coupleId())).as("run %d: the supporting partner's list", run).contains(IF_MY_PARTNER_LAPSES);
        }
    }

    /** A completed task says when it was given and done, leaves the open list, and is listed again on request. */
    @Test
    void aCompletedTaskKeepsItsTimesAndIsListedWhenAskedFor() {
        Couple couple = couple();
        String lapse = await().atMost(Duration.ofSeconds(20)).ignoreException(StatusRuntimeException.class).until(() ->
                couple.a().journal().discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                        .setCoupleId(couple.coupleId()).build()).getLapseId(), id -> !id.isEmpty());
        List<RelapseResponseTask> open = await().atMost(Duration.ofSeconds(30)).until(() -> taskList(couple.a(), couple.coupleId(), false),
                list -> !list.isEmpty());
        RelapseResponseTask first = open.get(0);
        assertThat(first.hasIssuedAt()).isTrue();

        RelapseResponseTask done = couple.a().plans().completeRelapseResponseTask(CompleteRelapseResponseTaskRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setLapseId(lapse).setTaskId(first.getTaskId()).build());
        assertThat(done.getDone()).isTrue();
        assertThat(done.getIssuedAt()).isEqualTo(first.getIssuedAt());
        assertThat(done.hasDoneAt()).isTrue();
        assertThat(Timestamps.toInstant(done.getDoneAt())).isAfterOrEqualTo(Timestamps.toInstant(done.getIssuedAt()));

        assertThat(taskList(couple.a(), couple.coupleId(), false)).extracting(RelapseResponseTask::getTaskId).doesNotContain(first.getTaskId());
        assertThat(taskList(couple.a(), couple.coupleId(), true)).filteredOn(t -> t.getTaskId().equals(first.getTaskId())).singleElement()
                .satisfies(t -> {
                    assertThat(t.getDone()).isTrue();
                    assertThat(t.getDoneAt()).isEqualTo(done.getDoneAt());
                    assertThat(t.getIssuedAt()).isEqualTo(first.getIssuedAt());
                });
        RelapseResponseTask again = couple.a().plans().completeRelapseResponseTask(CompleteRelapseResponseTaskRequest.newBuilder()
                .setIdempotencyKey(GatewayClient.key()).setLapseId(lapse).setTaskId(first.getTaskId()).build());
        assertThat(again.getDoneAt()).as("done once, at its first completion").isEqualTo(done.getDoneAt());
    }

    private static List<RelapseResponseTask> taskList(GatewayClient person, String coupleId, boolean includeDone) {
        return person.plans().listRelapseResponseTasks(ListRelapseResponseTasksRequest.newBuilder().setCoupleId(coupleId)
                .setIncludeDone(includeDone).build()).getTasksList();
    }

    /** Someone who records something and looks at once sees it, every time. */
    @Test
    void whatSomeoneRecordsIsInTheirVeryNextRead() {
        Couple couple = couple();
        // plans-service learns the couple from the journal's events: once it answers the one who joined, both are in
        await().atMost(Duration.ofSeconds(20)).ignoreException(StatusRuntimeException.class).until(() ->
                couple.b().plans().listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(couple.coupleId()).build()) != null);
        for (int i = 0; i < 10; i++) {
            String entry = couple.a().checkIn(couple.coupleId(), Visibility.PRIVATE, "look " + i);
            assertThat(couple.a().timeline(couple.coupleId()).getEntriesList()).extracting(TimelineEntry::getCheckInId).contains(entry);

            GoalKind kind = i % 2 == 0 ? GoalKind.REDUCED_USE : GoalKind.ABSTINENCE;
            couple.a().journal().setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setKind(kind).build());
            assertThat(couple.a().journal().getGoals(GetGoalsRequest.getDefaultInstance()).getCurrent().getKind()).isEqualTo(kind);

            String boundary = couple.a().plans().proposeBoundary(ProposeBoundaryRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                    .setCoupleId(couple.coupleId()).setText("Boundary " + i).setCategory(BoundaryCategory.BOUNDARY_COMMUNICATION)
                    .setAppliesTo(BoundaryAppliesTo.BOUNDARY_APPLIES_TO_BOTH_OF_US).build()).getBoundaryId();
            assertThat(couple.a().plans().listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(couple.coupleId()).build())
                    .getBoundariesList()).extracting(Boundary::getBoundaryId).contains(boundary);
        }
    }

    /** Use shared by someone who set no goal opens the same support as a lapse they disclose themself. */
    @Test
    void aSharedUseWithoutAGoalIsALapseAsADisclosureIs() throws InterruptedException {
        Couple couple = couple();
        try (NotificationWatch partnersStream = couple.b().watch("")) {
            await().atMost(Duration.ofSeconds(20)).ignoreException(StatusRuntimeException.class).until(() ->
                    couple.b().plans().listBoundaries(ListBoundariesRequest.newBuilder().setCoupleId(couple.coupleId()).build()) != null);
            couple.a().journal().recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                    .setCoupleId(couple.coupleId()).setMood(2).setCravingIntensity(6).setUsed(true)
                    .setVisibility(Visibility.SHARED_WITH_PARTNER).build());
            List<NotificationKind> kinds = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(20);
            Notification next;
            while (!kinds.contains(NotificationKind.PARTNER_LAPSED) && (next = partnersStream.next(Duration.between(Instant.now(), deadline))) != null) {
                kinds.add(next.getKind());
            }
            assertThat(kinds).contains(NotificationKind.PARTNER_LAPSED);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(taskList(couple.b(), couple.coupleId(), false)).isNotEmpty());
    }

    private static List<String> tasks(GatewayClient person, String coupleId) {
        return person.plans().listRelapseResponseTasks(ListRelapseResponseTasksRequest.newBuilder().setCoupleId(coupleId).build())
                .getTasksList().stream().map(RelapseResponseTask::getText).toList();
    }

    /**
     * A webhook that would make the service call into its own network is refused, naming the field, and not kept. This
     * Tandem runs as the devstack does, where webhooks may call this machine; everything else inside is refused even
     * here (loopback outside the devstack: WebhookAddressesTest).
     */
    @Test
    void aWebhookIntoTheServicesOwnNetworkIsRefused() {
        Couple couple = couple();
        for (String url : List.of("https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/",
                "https://[::ffff:169.254.169.254]/", "https://100.64.0.1/hook", "http://0.0.0.0:8080/hook", "ftp://93.184.216.34/hook")) {
            assertThatThrownBy(() -> couple.a().notifications().setPreferences(NotificationPreferences.newBuilder()
                    .setWebhookUrl(url).setWebhookSecret("a-secret-of-thirty-two-characters").build()))
                    .as(url).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(FieldViolations.fieldsOf(e)).containsExactly("webhook_url");
                    });
        }
        assertThat(couple.a().notifications().getPreferences(GetPreferencesRequest.getDefaultInstance()).getWebhookUrl()).isEmpty();
    }

    /**
     * A webhook gets prompts only once the person entered the code it was sent, signed as its prompts are; until then
     * the inbox gets them and the webhook nothing, and a wrong code is refused naming the field.
     */
    @Test
    void aWebhookGetsPromptsOnlyOnceConfirmedWithTheCodeItWasSent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            BlockingQueue<String> codes = receiver.codes;
            List<String> updates = receiver.updates;
            Couple couple = couple();
            var sams = couple.b().notifications();
            sams.setPreferences(NotificationPreferences.newBuilder()
                    .setWebhookUrl(receiver.url()).setWebhookSecret(WebhookReceiver.SECRET).build());
            String code = codes.poll(30, TimeUnit.SECONDS);
            assertThat(code).as("the challenge reached the receiver").isNotNull();
            assertThat(sams.getPreferences(GetPreferencesRequest.getDefaultInstance()).getWebhookState()).isEqualTo(ContactState.CONTACT_UNCONFIRMED);

            couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "before confirming");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sams
                    .listNotifications(ListNotificationsRequest.getDefaultInstance()).getNotificationsCount()).isEqualTo(1));
            String wrong = code.equals("AAAA-AAAA") ? "BBBB-BBBB" : "AAAA-AAAA";
            assertThatThrownBy(() -> sams.confirmContact(ConfirmContactRequest.newBuilder()
                    .setChannel(ContactChannel.CONTACT_CHANNEL_WEBHOOK).setCode(wrong).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(FieldViolations.fieldsOf(e)).containsExactly("code");
                    });
            assertThat(updates).as("nothing to an unconfirmed webhook").isEmpty();

            assertThat(sams.confirmContact(ConfirmContactRequest.newBuilder().setChannel(ContactChannel.CONTACT_CHANNEL_WEBHOOK)
                    .setCode(code).build()).getWebhookState()).isEqualTo(ContactState.CONTACT_CONFIRMED);
            couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "after confirming");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(updates).hasSize(1));
            assertThat(updates.get(0)).doesNotContain("confirming");
        }
    }

    /** The inbox, preferences and an entry's amendments through the gateway, as a phone uses them. */
    @Test
    void aPartnerReadsTheInboxSetsPreferencesAndTheAuthorAmendsAnEntry() {
        Couple couple = couple();
        String entry = couple.a().checkIn(couple.coupleId(), Visibility.SHARED_WITH_PARTNER, "first version");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(couple.b().notifications()
                .listNotifications(ListNotificationsRequest.getDefaultInstance()).getUnreadCount()).isEqualTo(1));
        var inbox = couple.b().notifications().listNotifications(ListNotificationsRequest.getDefaultInstance());
        assertThat(couple.b().notifications().markRead(MarkReadRequest.newBuilder()
                .setUpToCursor(inbox.getNotifications(0).getCursor()).build()).getUnreadCount()).isZero();

        assertThatThrownBy(() -> couple.b().notifications().setPreferences(NotificationPreferences.newBuilder().setTimeZone("Nowhere/Else").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly("time_zone"));
        couple.b().notifications().setPreferences(NotificationPreferences.newBuilder().setTimeZone("Europe/Lisbon")
                .setQuietHoursStart("23:00").setQuietHoursEnd("07:00").build());
        assertThat(couple.b().notifications().getPreferences(GetPreferencesRequest.getDefaultInstance()).getQuietHoursEnd()).isEqualTo("07:00");

        couple.a().journal().amendCheckIn(AmendCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setEntryId(entry)
                .setExpectedVersion(1).setMood(2).setCravingIntensity(5).setNote("second version")
                .setVisibility(Visibility.SHARED_WITH_PARTNER).build());
        assertThatThrownBy(() -> couple.b().journal().retractEntry(RetractEntryRequest.newBuilder().setIdempotencyKey(GatewayClient.key())
                .setEntryId(entry).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(couple.b().timeline(couple.coupleId()).getEntriesList())
                .extracting("note").containsExactly("second version"));
        assertThat(couple.a().journal().getEntryHistory(GetEntryHistoryRequest.newBuilder().setEntryId(entry).build()).getVersionsList())
                .extracting("note").containsExactly("first version", "second version");
    }
}
