package app.tandem.notifications;

import app.tandem.notifications.inbox.NotificationKind;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The service's kinds follow the public ones: by name for what it lists, by number for what a person mutes. */
class NotificationKindsTest {

    @Test
    void everyPublicKindIsTheServicesKindOfTheSameNameAndNumber() {
        var publicKinds = Arrays.stream(app.tandem.api.v1.NotificationKind.values())
                .filter(kind -> kind != app.tandem.api.v1.NotificationKind.NOTIFICATION_KIND_UNSPECIFIED
                        && kind != app.tandem.api.v1.NotificationKind.UNRECOGNIZED)
                .toList();
        assertThat(publicKinds).hasSameSizeAs(NotificationKind.values());
        for (var kind : publicKinds) {
            assertThat(NotificationKind.values()[kind.getNumber() - 1].name()).isEqualTo(kind.name());
        }
    }
}
