package app.tandem.journal.checkin;

import app.tandem.platform.domain.InvalidInput;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckInTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private AggregateTestFixture<CheckIn> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CheckIn.class);
    }

    private static RecordCheckIn checkIn(Instant occurredAt, int mood, int craving, Visibility visibility) {
        return new RecordCheckIn("k1", "c1", "alex", occurredAt, NOW, mood, craving, false, "pdc1:sealed", visibility);
    }

    @Test
    void aSharedCheckInNamesThePartnerItIsSharedWith() {
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new CheckIn(checkIn(NOW, 4, 2, Visibility.SHARED_WITH_PARTNER), "sam"))
                .expectEvents(new CheckInRecorded("k1", "c1", "alex", "sam", NOW, NOW, 4, 2, false, "pdc1:sealed",
                        Visibility.SHARED_WITH_PARTNER));
    }

    @Test
    void aCheckInCanBeBackDatedBySevenDays() {
        Instant weekAgo = NOW.minus(Duration.ofDays(7));
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new CheckIn(checkIn(weekAgo, 3, 0, Visibility.PRIVATE), null))
                .expectEvents(new CheckInRecorded("k1", "c1", "alex", null, weekAgo, NOW, 3, 0, false, "pdc1:sealed",
                        Visibility.PRIVATE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "mood,                0, 5, 0",
            "mood,                6, 5, 0",
            "craving_intensity,   3, -1, 0",
            "craving_intensity,   3, 11, 0",
            "occurred_at,         3, 5, 691200",
            "occurred_at,         3, 5, -600",
    })
    void outOfRangeFieldsAreRefusedByName(String field, int mood, int craving, long secondsAgo) {
        RecordCheckIn command = checkIn(NOW.minusSeconds(secondsAgo), mood, craving, Visibility.PRIVATE);
        assertThatThrownBy(() -> new CheckIn(command, null))
                .isInstanceOfSatisfying(InvalidInput.class, e ->
                        assertThat(e.violations()).extracting(InvalidInput.FieldViolation::field).containsExactly(field));
    }
}
