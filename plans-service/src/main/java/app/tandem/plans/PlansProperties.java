package app.tandem.plans;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@ConfigurationProperties("tandem.plans")
public class PlansProperties {

    private final Timers timers = new Timers();
    /** Crisis lines by locale ("en-gb", "de", ...) and "default"; the safety plan shows the caller's. */
    private Map<String, List<CrisisLine>> crisisLines = new LinkedHashMap<>();

    public Timers getTimers() {
        return timers;
    }

    public Map<String, List<CrisisLine>> getCrisisLines() {
        return crisisLines;
    }

    public void setCrisisLines(Map<String, List<CrisisLine>> crisisLines) {
        this.crisisLines = crisisLines;
    }

    /** The lines for a BCP 47 locale: the exact locale, then its language, then the default list. */
    public List<CrisisLine> crisisLinesFor(String locale) {
        Map<String, List<CrisisLine>> byKey = new LinkedHashMap<>();
        crisisLines.forEach((key, lines) -> byKey.put(key.toLowerCase(Locale.ROOT).replace('_', '-'), lines));
        String wanted = locale == null ? "" : locale.toLowerCase(Locale.ROOT).replace('_', '-');
        if (byKey.containsKey(wanted)) {
            return byKey.get(wanted);
        }
        int dash = wanted.indexOf('-');
        if (dash > 0 && byKey.containsKey(wanted.substring(0, dash))) {
            return byKey.get(wanted.substring(0, dash));
        }
        return byKey.getOrDefault("default", List.of());
    }

    public static class Timers {
        /** How often relapse-response follow-ups and boundary review dates that have come are looked for. */
        private Duration pollInterval = Duration.ofSeconds(30);

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    public static class CrisisLine {
        private String name;
        private String phone = "";
        private String text = "";
        private String hours = "";

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPhone() {
            return phone;
        }

        public void setPhone(String phone) {
            this.phone = phone;
        }

        public String getText() {
            return text;
        }

        public void setText(String text) {
            this.text = text;
        }

        public String getHours() {
            return hours;
        }

        public void setHours(String hours) {
            this.hours = hours;
        }
    }
}
