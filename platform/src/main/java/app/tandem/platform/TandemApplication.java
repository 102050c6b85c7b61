package app.tandem.platform;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Starts a Tandem service with the platform's defaults underneath its own configuration. Each service reads
 * {@code <service name>.yaml}, so several services can share one class path (the devstack, the tests).
 */
public final class TandemApplication {

    /** Lowest-precedence settings every service shares: Axon without Axon Server or handler timeouts, JSON everywhere. */
    public static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("axon.axonserver.enabled", "false"),
            Map.entry("axon.serializer.general", "jackson3"),
            Map.entry("axon.serializer.events", "jackson3"),
            Map.entry("axon.serializer.messages", "jackson3"),
            // Axon's handler timeouts take the thread's whole stack trace for every message handled, and interrupt a
            // handler that runs long: an interrupt in the middle of a MongoDB or Kafka call closes its connection.
            // A failing handler is retried by its processor instead.
            Map.entry("axon.timeout.enabled", "false"),
            Map.entry("spring.main.banner-mode", "off"),
            // every service answers the standard gRPC health check, also before it has endpoints of its own
            Map.entry("spring.grpc.server.health.enabled", "true"),
            // Spring Boot's MongoDB indicator lists every database of the cluster, which needs rights over all of them
            // that a service's own user does not have, and asks each one in turn
            Map.entry("management.health.mongodb.enabled", "false"),
            // reachable only from this machine unless configured otherwise; reflection only where asked for
            Map.entry("spring.grpc.server.address", "127.0.0.1"),
            Map.entry("spring.grpc.server.reflection.enabled", "false"),
            // what one connection may send: the largest request the API takes is a few kilobytes (a note of 4,000
            // characters), so 64 KB refuses anything larger before it is read; clients may ping at most every 30 s
            // (more often is answered with GOAWAY)
            Map.entry("spring.grpc.server.inbound.message.max-size", "64KB"),
            Map.entry("spring.grpc.server.inbound.metadata.max-size", "8KB"),
            Map.entry("spring.grpc.server.keepalive.time", "5m"),
            Map.entry("spring.grpc.server.keepalive.timeout", "20s"),
            Map.entry("spring.grpc.server.keepalive.permit.time", "30s"),
            // a service whose topics cannot be created (or checked) does not start: topics made by a broker's
            // defaults would have other partitions and replicas
            Map.entry("spring.kafka.admin.fail-fast", "true"),
            // operators' health and metrics over HTTP on a port of their own, the only thing the web server serves
            // (the API stays gRPC): management.server.port names it (unset, a random one, as in tests), on this
            // machine only unless server.address says otherwise (Spring Boot refuses management.server.address for a
            // management port that is the web server's own)
            Map.entry("server.port", "${management.server.port:0}"),
            Map.entry("server.address", "127.0.0.1"),
            Map.entry("management.endpoints.web.exposure.include", "health,prometheus,info"),
            Map.entry("management.endpoint.health.show-components", "always"),
            // which service a series is of, whatever the scrape job is called
            Map.entry("management.metrics.tags.application", "${spring.application.name}"),
            // buckets for each gRPC method's latency, so Prometheus can tell its p99
            Map.entry("management.metrics.distribution.percentiles-histogram.grpc.server", "true"),
            // one name per Axon metric, the processor a tag, rather than a name per processor
            Map.entry("axon.metrics.micrometer.dimensional", "true"),
            Map.entry("logging.level.org.apache.kafka", "WARN"),
            Map.entry("logging.level.kafka", "WARN"),
            Map.entry("logging.level.org.axonframework.config.AxonIQConsoleModule", "WARN"),
            // traces: W3C traceparent on gRPC calls, stored events and Kafka records; one trace in ten is kept (a
            // caller's decision is followed). Spans leave the process only when an OTLP endpoint is set:
            // management.opentelemetry.tracing.export.otlp.endpoint
            Map.entry("management.tracing.propagation.type", "W3C"),
            Map.entry("management.tracing.sampling.probability", "0.1"));

    /**
     * Logs of a service running as its own process: one JSON object a line (Elastic Common Schema) with the service's
     * name and the MDC's trace id, span id and request id ({@link app.tandem.platform.logging.RequestIds}). Services
     * started in a test's JVM keep the readable console.
     */
    public static final Map<String, Object> STRUCTURED_LOGS = Map.of("logging.structured.format.console", "ecs");

    static {
        System.setProperty("disable-axoniq-console-message", "true");
        // a health service does not tell a vendor when and where it runs
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    private TandemApplication() {
    }

    public static SpringApplicationBuilder builder(String serviceName, Class<?> application) {
        Map<String, Object> defaults = new HashMap<>(DEFAULTS);
        defaults.put("spring.config.name", serviceName);
        defaults.put("spring.application.name", serviceName);
        if (application.isAnnotationPresent(WithoutEventStore.class)) {
            defaults.put(EXCLUDE, excluded(application, candidate -> candidate.startsWith("org.axonframework.")
                    || candidate.equals(AXON_ON_MONGO)));
        }
        return new SpringApplicationBuilder(application).properties(defaults);
    }

    private static final String EXCLUDE = "spring.autoconfigure.exclude";
    private static final String AXON_ON_MONGO = "app.tandem.platform.axon.AxonMongoConfiguration";

    /** The auto-configurations on the application's class path that {@code off} names, as Spring's exclude setting takes them. */
    private static String excluded(Class<?> application, Predicate<String> off) {
        List<String> excluded = new ArrayList<>();
        for (String candidate : ImportCandidates.load(AutoConfiguration.class, application.getClassLoader())) {
            if (off.test(candidate)) {
                excluded.add(candidate);
            }
        }
        return String.join(",", excluded);
    }

    /**
     * For the gateway: it keeps no state and verifies people's tokens instead of callers' assertions, so the event
     * store, database, broker, crypto and trusted-caller configurations stay off even when a service shares its
     * class path.
     */
    public static SpringApplicationBuilder statelessBuilder(String serviceName, Class<?> application) {
        Map<String, Object> edge = new HashMap<>(EDGE_DEFAULTS);
        edge.put(EXCLUDE, excluded(application, candidate -> candidate.startsWith("org.axonframework.")
                || NOT_AT_THE_EDGE.contains(candidate)));
        return builder(serviceName, application).properties(edge);
    }

    /**
     * The gateway's connections come from people's devices: few calls at once each, connections that idle or live
     * long closed gracefully, and Rapid Reset cut short. A service's connections come from the gateway, which carries
     * everyone's calls and streams on one, so the services keep {@link TandemProperties.Connections}' wider defaults.
     */
    private static final Map<String, Object> EDGE_DEFAULTS = Map.of(
            "tandem.connections.max-concurrent-calls", "100",
            "tandem.connections.max-resets", "200",
            "spring.grpc.server.keepalive.connection.max-idle-time", "15m",
            "spring.grpc.server.keepalive.connection.max-age", "1h",
            "spring.grpc.server.keepalive.connection.grace-period", "1m");

    private static final Set<String> NOT_AT_THE_EDGE = Set.of(
            "app.tandem.platform.security.TrustedCallersConfiguration",
            "app.tandem.platform.ops.OperatorConfiguration",
            "app.tandem.platform.privacy.PrivacyConfiguration",
            "app.tandem.platform.mongo.MongoConfiguration",
            "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
            AXON_ON_MONGO,
            "app.tandem.platform.kafka.KafkaBridgeConfiguration",
            "app.tandem.platform.crypto.CryptoConfiguration");

    public static ConfigurableApplicationContext run(String serviceName, Class<?> application, String... args) {
        return run(builder(serviceName, application), args);
    }

    public static ConfigurableApplicationContext runStateless(String serviceName, Class<?> application, String... args) {
        return run(statelessBuilder(serviceName, application), args);
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder builder, String... args) {
        if (Boolean.getBoolean("tandem.exit-with-parent")) {
            exitWhenParentExits();
        }
        return builder.properties(STRUCTURED_LOGS).run(args);
    }

    /**
     * A service launched by the devstack reads its standard input until the devstack's end of it closes,
     * which happens however the devstack ends (even by SIGKILL), and then shuts down cleanly.
     */
    private static void exitWhenParentExits() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever sent; only the end of the stream matters
                }
            } catch (IOException e) {
                // the pipe broke: the parent is gone
            }
            // the broker and database went with the parent, so a graceful shutdown may wait on them in vain
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(1);
            }, "parent-gone-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
