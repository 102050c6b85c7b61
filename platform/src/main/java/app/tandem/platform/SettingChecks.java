package app.tandem.platform;

import java.time.Duration;

/** The checks settings records make when they are bound: one that cannot work stops the service, naming it. */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** {@code setting} is the full name, such as {@code tandem.kafka.attempts}. */
    public static void atLeastOne(String setting, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1");
        }
    }

    public static void longerThanZero(String setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be longer than zero");
        }
    }
}
