package app.tandem.devstack;

import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.GetStatsRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.LeaveCoupleRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.Milestone;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Stats;
import app.tandem.api.v1.Substance;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.UseDetails;
import app.tandem.api.v1.Visibility;
import app.tandem.platform.embedded.EmbeddedStack;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.time.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A couple's first thirty days, lived through the gateway in a minute: the services read a clock the test moves
 * forward a day at a time. Both partners check in every day and share it; Sam lapses on day 12; Alex also keeps
 * private entries. Milestones must come on their day, exactly once, and nothing private may ever reach Sam.
 */
class ThirtyDaysEndToEndTest {

    private static final SettableClock clock = new SettableClock();
    private static TandemUnderTest tandem;

    @TempDir
    static Path keys;

    @BeforeAll
    static void start() {
        tandem = new TandemUnderTest(EmbeddedStack.shared().mongoUri(), EmbeddedStack.shared().kafkaBootstrapServers(), keys, clock);
    }

    @AfterAll
    static void stop() {
        tandem.close();
    }

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
        List<TimelineEntry> samsTimeline = timeline(sam, couple);
        assertThat(samsTimeline).extracting(TimelineEntry::getCheckInId)
                .containsAll(alexShared).containsAll(samShared).doesNotContainAnyElementsOf(alexPrivate);
        assertThat(samsTimeline).extracting(TimelineEntry::getNote).noneMatch(note -> note.contains("private"));
        assertThat(toSam).extracting(Notification::getCheckInId).doesNotContainAnyElementsOf(alexPrivate);
        assertThat(toSam).allSatisfy(n -> assertThat(n.getTitle() + n.getBody()).doesNotContain("private"));

        // Sam leaves: Alex loses Sam's shared entries at once, Sam keeps them
        sam.couples().leaveCouple(LeaveCoupleRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(couple).build());
        assertThat(timeline(alex, couple)).extracting(TimelineEntry::getCheckInId)
                .doesNotContainAnyElementsOf(samShared).containsAll(alexShared).containsAll(alexPrivate);
        assertThat(timeline(sam, couple)).extracting(TimelineEntry::getCheckInId).containsExactlyInAnyOrderElementsOf(samShared);
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

    private static List<TimelineEntry> timeline(GatewayClient person, String couple) {
        List<TimelineEntry> entries = new ArrayList<>();
        String token = "";
        do {
            var page = person.journal().listTimeline(ListTimelineRequest.newBuilder().setCoupleId(couple).setPageSize(100).setPageToken(token).build());
            entries.addAll(page.getEntriesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return entries;
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
}
