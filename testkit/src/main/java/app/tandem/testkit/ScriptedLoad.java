package app.tandem.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings for a Tandem whose clients are scripts (tests, benches), which act far faster than anyone by hand: the limits
 * that protect people from each other would otherwise measure themselves instead of the stack.
 */
public final class ScriptedLoad {

    private ScriptedLoad() {
    }

    /** The gateway's per-person limits: every kind of call gets {@code perMinute} and {@code burst}. */
    public static Map<String, Object> gatewayLimits(int perMinute, int burst) {
        Map<String, Object> limits = new HashMap<>();
        for (String kind : List.of("write", "read", "stream")) {
            limits.put("tandem.gateway.limits." + kind + "s-per-minute", perMinute);
            limits.put("tandem.gateway.limits." + kind + "-burst", burst);
        }
        return limits;
    }

    /** notifications-service pushing every prompt a partner causes, however many an hour. */
    public static Map<String, Object> promptLimits() {
        return Map.of("tandem.notifications.urgent-per-hour", 1_000_000, "tandem.notifications.partner-prompts-per-hour", 1_000_000);
    }
}
