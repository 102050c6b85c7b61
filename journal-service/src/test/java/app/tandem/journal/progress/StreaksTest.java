package app.tandem.journal.progress;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StreaksTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void withoutUsesEveryDaySinceTheStartCounts() {
        Streaks streaks = Streaks.of(START, List.of(), START.plus(Duration.ofDays(10)));
        assertThat(streaks.currentDays()).isCloseTo(10, within(1e-9));
        assertThat(streaks.longestDays()).isCloseTo(10, within(1e-9));
        assertThat(streaks.totalDaysWithoutUse()).isCloseTo(10, within(1e-9));
    }

    @Test
    void aUseEndsTheRunButErasesNeitherTheLongestNorTheTotal() {
        // used on day 12 at 18:00: three quarters of that day still count
        Instant use = START.plus(Duration.ofDays(12)).plus(Duration.ofHours(18));
        Instant now = START.plus(Duration.ofDays(20));
        Streaks streaks = Streaks.of(START, List.of(use), now);
        assertThat(streaks.currentDays()).isCloseTo(7.25, within(1e-9));
        assertThat(streaks.longestDays()).isCloseTo(12.75, within(1e-9));
        assertThat(streaks.totalDaysWithoutUse()).isCloseTo(12 + 0.75 + 7, within(1e-9));
    }

    @Test
    void theLongestRunMayLieBetweenTwoUses() {
        Instant first = START.plus(Duration.ofDays(2));
        Instant second = START.plus(Duration.ofDays(20));
        Streaks streaks = Streaks.of(START, List.of(second, first), START.plus(Duration.ofDays(25)));
        assertThat(streaks.longestDays()).isCloseTo(18, within(1e-9));
        assertThat(streaks.currentDays()).isCloseTo(5, within(1e-9));
    }

    @Test
    void theRunStartsAtTheLatestUse() {
        Instant use = START.plus(Duration.ofDays(3));
        assertThat(Streaks.streakStart(START, List.of(use))).isEqualTo(use);
        assertThat(Streaks.streakStart(START, List.of())).isEqualTo(START);
    }

    @Test
    void milestonesAreTheListedDaysThenEveryYear() {
        assertThat(List.of(1, 3, 7, 14, 30, 60, 90, 180, 365, 730, 1095)).allMatch(Milestones::isMilestone);
        assertThat(List.of(2, 4, 10, 366, 400)).noneMatch(Milestones::isMilestone);
        assertThat(Milestones.highestReached(3, 10)).hasValue(7);
        assertThat(Milestones.highestReached(7, 10)).isEmpty();
    }
}
