package app.tandem.notifications;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Webhook settings that cannot work stop the service, naming the setting. */
class NotificationsPropertiesTest {

    private static NotificationsProperties with(int sends, int perHost, Duration lookup, Duration connect, Duration response) {
        return with(sends, perHost, lookup, connect, response, List.of());
    }

    private static NotificationsProperties with(int sends, int perHost, Duration lookup, Duration connect, Duration response,
                                                List<String> deniedRanges) {
        return new NotificationsProperties("127.0.0.1:9101", "tandem@localhost", 8, Duration.ofMinutes(1), Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), 3, 10_000, 4, 3, 20, false,
                sends, perHost, connect, response, lookup, deniedRanges);
    }

    @Test
    void theDefaultsWork() {
        assertThatCode(() -> with(16, 2, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10))).doesNotThrowAnyException();
    }

    @Test
    void limitsThatCannotWorkNameTheirSetting() {
        assertThatThrownBy(() -> with(0, 0, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10)))
                .hasMessageContaining("tandem.notifications.webhook-sends must be at least 1");
        assertThatThrownBy(() -> with(4, 8, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10)))
                .hasMessageContaining("tandem.notifications.webhook-sends-per-host must be at most");
        assertThatThrownBy(() -> with(16, 2, Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(10)))
                .hasMessageContaining("tandem.notifications.webhook-lookup-timeout");
        assertThatThrownBy(() -> with(16, 2, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(55)))
                .as("a send that could outlive its claim").hasMessageContaining("shorter than tandem.notifications.send-lease");
    }

    @Test
    void aDeniedRangeThatIsNoRangeNamesItsSetting() {
        assertThatThrownBy(() -> with(16, 2, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10),
                List.of("2600:1f00::/24", "vpc.internal/16"))).hasMessageStartingWith("tandem.notifications.webhook-denied-ranges");
    }
}
