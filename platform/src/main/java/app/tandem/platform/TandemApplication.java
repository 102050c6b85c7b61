package app.tandem.platform;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

/** Starts a Tandem service with the platform's defaults underneath its own configuration. */
public final class TandemApplication {

    /** Lowest-precedence settings every service shares: Axon without Axon Server, JSON everywhere. */
    public static final Map<String, Object> DEFAULTS = Map.of(
            "axon.axonserver.enabled", "false",
            "axon.serializer.general", "jackson3",
            "axon.serializer.events", "jackson3",
            "axon.serializer.messages", "jackson3",
            "spring.main.banner-mode", "off");

    private TandemApplication() {
    }

    public static SpringApplicationBuilder builder(Class<?> application) {
        return new SpringApplicationBuilder(application).properties(DEFAULTS);
    }

    public static ConfigurableApplicationContext run(Class<?> application, String... args) {
        return builder(application).run(args);
    }
}
