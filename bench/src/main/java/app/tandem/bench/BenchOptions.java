package app.tandem.bench;

import java.util.HashMap;
import java.util.Map;

/** A benchmark's {@code --name=value} options, and quiet logs so the numbers stand out. */
final class BenchOptions {

    private final Map<String, String> values = new HashMap<>();

    private BenchOptions() {
    }

    static BenchOptions parse(String[] args) {
        BenchOptions options = new BenchOptions();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        return options;
    }

    int integer(String name, int otherwise) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
    }

    String text(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }
}
