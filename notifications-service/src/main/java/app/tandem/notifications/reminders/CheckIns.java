package app.tandem.notifications.reminders;

import java.time.Instant;
import java.util.Optional;

/** When a person last checked in: the journal knows, and tells only this, never what they wrote. */
public interface CheckIns {

    Optional<Instant> lastCheckInOf(String personId);
}
