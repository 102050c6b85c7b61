package app.tandem.plans;

import app.tandem.platform.grpc.ReplicaTargets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static app.tandem.platform.SettingChecks.longerThanZero;

/**
 * plans-service's settings ({@code tandem.plans.*}), checked when the service starts.
 *
 * @param timers        how relapse follow-ups and boundary review dates are fired
 * @param crisisLines   crisis lines by locale ("en-gb", "de", ...) and "default"; the safety plan shows the caller's
 * @param journalTarget where journal-service answers the facts of shared check-ins and disclosed lapses (host:port, one
 *                      per replica separated by commas, or dns:///name:port)
 */
@ConfigurationProperties("tandem.plans")
public record PlansProperties(@DefaultValue Timers timers, Map<String, List<CrisisLine>> crisisLines,
                              @DefaultValue("127.0.0.1:9101") String journalTarget) {

    public PlansProperties {
        if (!ReplicaTargets.valid(journalTarget)) {
            throw new IllegalArgumentException("tandem.plans.journal-target must be host:port, or several separated by commas");
        }
        Map<String, List<CrisisLine>> byKey = new LinkedHashMap<>();
        if (crisisLines != null) {
            crisisLines.forEach((key, lines) -> byKey.put(key.toLowerCase(Locale.ROOT).replace('_', '-'), List.copyOf(lines)));
        }
        crisisLines = Collections.unmodifiableMap(byKey);
    }

    /**
     * @param pollInterval     how often follow-ups and review dates that have come are looked for
     * @param weekPollInterval how often couples whose week has ended (Monday 00:00 UTC) are looked for
     */
    public record Timers(@DefaultValue("30s") Duration pollInterval, @DefaultValue("1m") Duration weekPollInterval) {
        public Timers {
            longerThanZero("tandem.plans.timers.poll-interval", pollInterval);
            longerThanZero("tandem.plans.timers.week-poll-interval", weekPollInterval);
        }
    }

    /** A crisis line as the safety plan shows it; only its name is required. */
    public record CrisisLine(String name, @DefaultValue("") String phone, @DefaultValue("") String text,
                             @DefaultValue("") String hours) {
        public CrisisLine {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("every line of tandem.plans.crisis-lines needs a name");
            }
        }
    }

    /** The lines for a BCP 47 locale: the exact locale, then its language, then the default list. */
    public List<CrisisLine> crisisLinesFor(String locale) {
        String wanted = locale == null ? "" : locale.toLowerCase(Locale.ROOT).replace('_', '-');
        if (crisisLines.containsKey(wanted)) {
            return crisisLines.get(wanted);
        }
        int dash = wanted.indexOf('-');
        if (dash > 0 && crisisLines.containsKey(wanted.substring(0, dash))) {
            return crisisLines.get(wanted.substring(0, dash));
        }
        return crisisLines.getOrDefault("default", List.of());
    }
}
