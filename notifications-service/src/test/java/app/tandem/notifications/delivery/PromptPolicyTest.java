package app.tandem.notifications.delivery;

import app.tandem.notifications.delivery.PromptPolicy.Decision;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.Preferences;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PromptPolicyTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Preferences QUIET_NIGHTS = new Preferences(BERLIN, LocalTime.of(22, 0), LocalTime.of(7, 0), Set.of(), 0, null, null, null, 0, null, false, false);

    private static Decision decide(Preferences preferences, NotificationKind kind, String now, long pushedToday) {
        return PromptPolicy.decide(preferences, kind, Instant.parse(now), pushedToday, PromptPolicy.Sender.NONE);
    }

    /** A partner who pushed {@code pushedThisHour} of the 3 this hour allows. */
    private static Decision fromPartner(NotificationKind kind, boolean snoozed, long pushedThisHour) {
        return PromptPolicy.decide(QUIET_NIGHTS, kind, Instant.parse("2026-11-23T23:00:00Z"), 0,
                new PromptPolicy.Sender(snoozed, () -> pushedThisHour < 3));
    }

    @Test
    void aPartnersUrgentPromptsArePushedAFewAnHourAndTheRestOnlyListed() {
        assertThat(fromPartner(NotificationKind.SUPPORT_REQUESTED, false, 0)).isEqualTo(new Decision.Push());
        assertThat(fromPartner(NotificationKind.SUPPORT_REQUESTED, false, 2)).isEqualTo(new Decision.Push());
        assertThat(fromPartner(NotificationKind.SUPPORT_REQUESTED, false, 3)).isEqualTo(new Decision.Fold());
        assertThat(fromPartner(NotificationKind.PARTNER_LAPSED, false, 7)).isEqualTo(new Decision.Fold());
    }

    @Test
    void aPartnersOtherPromptsBeyondTheirHourlyBudgetAreOnlyListedEvenOutsideQuietHours() {
        PromptPolicy.Sender overBudget = new PromptPolicy.Sender(false, () -> false);
        assertThat(PromptPolicy.decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, Instant.parse("2026-11-23T12:00:00Z"), 0, overBudget))
                .isEqualTo(new Decision.Fold());
        PromptPolicy.Sender withinBudget = new PromptPolicy.Sender(false, () -> true);
        assertThat(PromptPolicy.decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, Instant.parse("2026-11-23T12:00:00Z"), 0, withinBudget))
                .isEqualTo(new Decision.Push());
    }

    @Test
    void aSnoozedPartnersPromptsAreOnlyListedUrgentOnesToo() {
        assertThat(fromPartner(NotificationKind.SUPPORT_REQUESTED, true, 0)).isEqualTo(new Decision.Fold());
        assertThat(fromPartner(NotificationKind.PARTNER_CHECKED_IN, true, 0)).isEqualTo(new Decision.Fold());
    }

    @Test
    void aPromptHeldForTheMorningTakesNothingFromThePartnersHour() {
        PromptPolicy.Sender counted = new PromptPolicy.Sender(false, () -> {
            throw new AssertionError("a held prompt is not a push");
        });
        assertThat(PromptPolicy.decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, Instant.parse("2026-11-23T22:30:00Z"), 0, counted))
                .isInstanceOf(Decision.Hold.class);
    }

    @Test
    void aMutedKindStaysMutedWhileItsSenderIsSnoozed() {
        Preferences muted = new Preferences(BERLIN, null, null, Set.of(NotificationKind.PARTNER_CHECKED_IN), 0, null, null, null, 0, null, false, false);
        assertThat(PromptPolicy.decide(muted, NotificationKind.PARTNER_CHECKED_IN, Instant.parse("2026-11-23T12:00:00Z"), 0,
                new PromptPolicy.Sender(true, () -> true))).isEqualTo(new Decision.Drop());
    }

    @Test
    void outsideQuietHoursAPromptIsPushed() {
        assertThat(decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, "2026-11-23T12:00:00Z", 0)).isEqualTo(new Decision.Push());
    }

    @Test
    void inQuietHoursAPromptWaitsForTheMorning() {
        // 23:30 in Berlin (UTC+1 in winter): held until 07:00 local
        assertThat(decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, "2026-11-23T22:30:00Z", 0))
                .isEqualTo(new Decision.Hold(Instant.parse("2026-11-24T06:00:00Z")));
        // 05:00 local, after midnight, still quiet
        assertThat(decide(QUIET_NIGHTS, NotificationKind.MILESTONE_REACHED, "2026-11-24T04:00:00Z", 0))
                .isEqualTo(new Decision.Hold(Instant.parse("2026-11-24T06:00:00Z")));
    }

    @Test
    void quietHoursEndAtSevenOnTheWallClockAcrossTheSpringChange() {
        // the night clocks go forward (28 March 2027, 02:00 -> 03:00): 07:00 local is 05:00 UTC, not 06:00
        assertThat(decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, "2027-03-27T22:30:00Z", 0))
                .isEqualTo(new Decision.Hold(Instant.parse("2027-03-28T05:00:00Z")));
    }

    @Test
    void quietHoursEndAtSevenOnTheWallClockAcrossTheAutumnChange() {
        // the night clocks go back (31 October 2027, 03:00 -> 02:00): 07:00 local is 06:00 UTC, not 05:00
        assertThat(decide(QUIET_NIGHTS, NotificationKind.PARTNER_CHECKED_IN, "2027-10-30T21:30:00Z", 0))
                .isEqualTo(new Decision.Hold(Instant.parse("2027-10-31T06:00:00Z")));
    }

    @Test
    void urgentPromptsComeThroughQuietHoursMutesAndTheCap() {
        Preferences strict = new Preferences(BERLIN, LocalTime.of(22, 0), LocalTime.of(7, 0), Set.of(), 1, null, null, null, 0, null, false, false);
        assertThat(decide(strict, NotificationKind.SUPPORT_REQUESTED, "2026-11-23T23:00:00Z", 5)).isEqualTo(new Decision.Push());
        assertThat(decide(strict, NotificationKind.PARTNER_LAPSED, "2026-11-23T23:00:00Z", 5)).isEqualTo(new Decision.Push());
    }

    @Test
    void aMutedKindIsDropped() {
        Preferences muted = new Preferences(BERLIN, null, null, Set.of(NotificationKind.PARTNER_CHECKED_IN), 0, null, null, null, 0, null, false, false);
        assertThat(decide(muted, NotificationKind.PARTNER_CHECKED_IN, "2026-11-23T12:00:00Z", 0)).isEqualTo(new Decision.Drop());
        assertThat(decide(muted, NotificationKind.MILESTONE_REACHED, "2026-11-23T12:00:00Z", 0)).isEqualTo(new Decision.Push());
    }

    @Test
    void carePromptsComeFromNoPartnerWaitForTheMorningAndCanBeMuted() {
        for (NotificationKind care : List.of(NotificationKind.CONSENT_EXPIRING, NotificationKind.COUNSELOR_FIRST_READ)) {
            assertThat(PromptPolicy.isUrgent(care)).isFalse();
            assertThat(PromptPolicy.FROM_PARTNER).doesNotContain(care);
            assertThat(decide(QUIET_NIGHTS, care, "2026-11-23T22:30:00Z", 0)).isEqualTo(new Decision.Hold(Instant.parse("2026-11-24T06:00:00Z")));
            Preferences muted = new Preferences(BERLIN, null, null, Set.of(care), 0, null, null, null, 0, null, false, false);
            assertThat(decide(muted, care, "2026-11-23T12:00:00Z", 0)).isEqualTo(new Decision.Drop());
        }
    }

    @Test
    void overTheDailyCapPromptsWaitForTheNextLocalDay() {
        Preferences capped = new Preferences(BERLIN, null, null, Set.of(), 3, null, null, null, 0, null, false, false);
        assertThat(decide(capped, NotificationKind.PARTNER_CHECKED_IN, "2026-11-23T12:00:00Z", 2)).isEqualTo(new Decision.Push());
        assertThat(decide(capped, NotificationKind.PARTNER_CHECKED_IN, "2026-11-23T12:00:00Z", 3))
                .isEqualTo(new Decision.Hold(Instant.parse("2026-11-23T23:00:00Z")));
    }

    @Test
    void overTheCapWithQuietNightsTheDigestComesWhenTheNightEnds() {
        Preferences both = new Preferences(BERLIN, LocalTime.of(22, 0), LocalTime.of(7, 0), Set.of(), 1, null, null, null, 0, null, false, false);
        assertThat(decide(both, NotificationKind.PARTNER_CHECKED_IN, "2026-11-23T12:00:00Z", 1))
                .isEqualTo(new Decision.Hold(Instant.parse("2026-11-24T06:00:00Z")));
    }

    @Test
    void theDayStartsAtLocalMidnight() {
        assertThat(PromptPolicy.startOfToday(QUIET_NIGHTS, Instant.parse("2026-11-23T23:30:00Z"))).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
    }
}
