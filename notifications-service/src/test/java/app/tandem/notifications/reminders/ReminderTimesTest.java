package app.tandem.notifications.reminders;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class ReminderTimesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void anEveningReminderKeepsItsWallClockTimeAcrossTheSpringChange() {
        // 20:00 on Saturday is 19:00 UTC (winter time); 20:00 on Sunday is 18:00 UTC (summer time)
        Instant saturday = ReminderTimes.nextAfter(LocalTime.of(20, 0), BERLIN, Instant.parse("2027-03-27T12:00:00Z"));
        assertThat(saturday).isEqualTo(Instant.parse("2027-03-27T19:00:00Z"));
        assertThat(ReminderTimes.nextAfter(LocalTime.of(20, 0), BERLIN, saturday)).isEqualTo(Instant.parse("2027-03-28T18:00:00Z"));
    }

    @Test
    void aReminderInTheSkippedHourComesJustAfterIt() {
        // 02:30 does not exist on 28 March 2027 in Berlin; it comes at 03:30 summer time
        assertThat(ReminderTimes.nextAfter(LocalTime.of(2, 30), BERLIN, Instant.parse("2027-03-27T12:00:00Z")))
                .isEqualTo(Instant.parse("2027-03-28T01:30:00Z"));
    }

    @Test
    void aReminderInTheRepeatedHourComesOnce() {
        Instant first = ReminderTimes.nextAfter(LocalTime.of(2, 30), BERLIN, Instant.parse("2027-10-30T12:00:00Z"));
        assertThat(first).isEqualTo(Instant.parse("2027-10-31T00:30:00Z"));
        // the second 02:30 (winter time) of that night is not another reminder: the next one is the next day's
        assertThat(ReminderTimes.nextAfter(LocalTime.of(2, 30), BERLIN, first)).isEqualTo(Instant.parse("2027-11-01T01:30:00Z"));
    }

    @Test
    void afterAPauseOnlyTheLatestMissedReminderCounts() {
        Instant threeDaysLate = Instant.parse("2026-11-26T21:00:00Z");
        assertThat(ReminderTimes.latestAtOrBefore(LocalTime.of(20, 0), BERLIN, threeDaysLate)).isEqualTo(Instant.parse("2026-11-26T19:00:00Z"));
        assertThat(ReminderTimes.latestAtOrBefore(LocalTime.of(20, 0), BERLIN, Instant.parse("2026-11-26T18:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-25T19:00:00Z"));
    }
}
