package app.tandem.devstack;

import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.care.CareApplication;
import app.tandem.gateway.GatewayApplication;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.testkit.RunningService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Prometheus and a health probe see: every replica of every service and the gateway answer
 * {@code /actuator/prometheus} and {@code /actuator/health} over HTTP on their management port, with the metrics the
 * dashboard and the alert rules in {@code deploy/} use, summed over replicas as they sum them; and those files name no
 * metric the services do not serve.
 */
@ExtendWith(EmbeddedTandem.class)
class MetricsScrapeTest {

    private static final List<String> ALL = List.of(GatewayApplication.NAME, JournalApplication.NAME, PlansApplication.NAME,
            NotificationsApplication.NAME, CareApplication.NAME);
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path DEPLOY = Path.of("..", "deploy");

    @BeforeAll
    static void aPromptIsPushedToAnOpenStream() throws InterruptedException {
        TandemUnderTest tandem = EmbeddedTandem.get();
        GatewayClient alex = tandem.person("alex");
        try (NotificationWatch stream = alex.watch("")) {
            CreateCoupleResponse created = alex.createCouple();
            tandem.person("sam").join(created.getInviteCode());
            Notification joined = stream.next(Duration.ofSeconds(20));
            assertThat(joined).isNotNull();
            assertThat(joined.getKind()).isEqualTo(NotificationKind.PARTNER_JOINED);
            assertThat(series(scrape(NotificationsApplication.NAME), "tandem_streams_open", Map.of("stream", "notification")))
                    .as("the open stream").isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void everyPartIsUp() {
        for (String service : ALL) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(service, "/actuator/health"))
                    .allSatisfy(health -> assertThat(health).endsWith("\"status\":\"UP\"}")));
        }
        assertThat(get(JournalApplication.NAME, "/actuator/health")).allSatisfy(health -> assertThat(health)
                .contains("\"database\":{\"status\":\"UP\"}", "\"eventProcessors\":{\"status\":\"UP\"}", "\"integrationEvents\":{\"status\":\"UP\"}"));
    }

    @Test
    void eachServiceServesItsMetrics() {
        // sampled every few seconds: the first sample may still be under way right after start
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> journal = scrape(JournalApplication.NAME);
            assertThat(series(journal, "tandem_processor_lag", Map.of("application", "journal-service", "processor", "timeline", "segment", "0")))
                    .isGreaterThanOrEqualTo(0);
            assertThat(series(journal, "tandem_relay_lag", Map.of())).isGreaterThanOrEqualTo(0);
            assertThat(journal).as("only the publishing replica serves the relay's lag")
                    .filteredOn(scrape -> scrape.lines().anyMatch(line -> line.startsWith("tandem_relay_lag"))).hasSize(1);
            assertThat(series(journal, "tandem_dead_letters_waiting", Map.of("kind", "unpublished"))).isZero();
            assertThat(series(journal, "tandem_relay_running", Map.of())).as("a relay in every replica: one publishes, one stands by")
                    .isEqualTo(EmbeddedTandem.get().replicas.get(JournalApplication.NAME).size());
            assertThat(series(journal, "grpc_server_seconds_count", Map.of("rpc_method", "CreateCouple", "grpc_status_code", "OK")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(series(journal, "grpc_server_seconds_bucket", Map.of("rpc_method", "CreateCouple", "le", "+Inf")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(series(journal, "eventProcessor_latency", Map.of("processorName", "timeline"))).isGreaterThanOrEqualTo(0);
            assertThat(series(journal, "jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();

            List<String> plans = scrape(PlansApplication.NAME);
            assertThat(series(plans, "tandem_consumer_healthy", Map.of())).as("a healthy consumer in every replica")
                    .isEqualTo(EmbeddedTandem.get().replicas.get(PlansApplication.NAME).size());
            assertThat(series(plans, "tandem_dead_letters_waiting", Map.of("kind", "consumed"))).isZero();
            assertThat(series(plans, "kafka_consumer_fetch_manager_records_lag_max", Map.of())).isNotNull();

            List<String> notifications = scrape(NotificationsApplication.NAME);
            assertThat(series(notifications, "tandem_prompts_total", Map.of("kind", "partner_joined", "outcome", "pushed")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(series(notifications, "tandem_outbox_depth", Map.of("channel", "email"))).isGreaterThanOrEqualTo(0);
            assertThat(series(notifications, "tandem_outbox_dead", Map.of("channel", "webhook"))).isGreaterThanOrEqualTo(0);
            assertThat(series(notifications, "tandem_streams_limit", Map.of("stream", "notification"))).isPositive();
            assertThat(series(notifications, "grpc_server_seconds_count", Map.of("rpc_method", "WatchNotifications"))).isGreaterThanOrEqualTo(1);

            assertThat(series(scrape(CareApplication.NAME), "tandem_streams_open", Map.of("stream", "care"))).isGreaterThanOrEqualTo(0);

            List<String> gateway = scrape(GatewayApplication.NAME);
            assertThat(series(gateway, "grpc_server_seconds_count", Map.of("application", "gateway", "rpc_method", "JoinCouple")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(series(gateway, "jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();
        });
    }

    @Test
    void theDashboardAndAlertsUseOnlyMetricsTheServicesServe() throws IOException {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DEPLOY.resolve("grafana/tandem-dashboard.json")));
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(target -> expressions.add(target.get("expr").asString())));
        Map<String, List<Map<String, Object>>> alerts = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/alerts.yaml")));
        List<String> alertNames = new ArrayList<>();
        for (Object group : alerts.get("groups")) {
            for (Map<String, Object> rule : rulesOf(group)) {
                expressions.add(rule.get("expr").toString());
                alertNames.add(rule.get("alert").toString());
                assertThat(rule).containsKey("annotations");
            }
        }
        assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(10);
        assertThat(alertNames).contains("TandemServiceDown", "TandemProcessorLagGrowing", "TandemDeadLettersWaiting",
                "TandemConsumerDown", "TandemGrpcLatencyOverTarget");

        Set<String> used = new TreeSet<>();
        expressions.forEach(expression -> used.addAll(metricsIn(expression)));
        assertThat(used).contains("tandem_processor_lag", "tandem_relay_lag", "tandem_outbox_depth", "tandem_dead_letters_waiting",
                "tandem_streams_open", "tandem_prompts_total", "grpc_server_seconds_bucket", "jvm_memory_used_bytes");
        // sampled gauges appear at their first sample, the relay's lag once a replica publishes
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<String> served = new TreeSet<>(Set.of("up")); // made by Prometheus for every scrape
            ALL.forEach(service -> scrape(service).forEach(scrape -> scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .forEach(line -> served.add(line.split("[{ ]", 2)[0]))));
            assertThat(served).containsAll(used);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rulesOf(Object group) {
        return (List<Map<String, Object>>) ((Map<String, Object>) group).get("rules");
    }

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
            "unless", "bool", "offset");

    /** The metric names a PromQL expression reads: what is left once strings, matchers, ranges, label lists and functions are gone. */
    static Set<String> metricsIn(String expression) {
        String bare = expression.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\[[^]]*]", "[]")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()").matcher(bare);
        while (identifier.find()) {
            if (!PROMQL_WORDS.contains(identifier.group(1))) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    /**
     * The first series of {@code name} with these labels in each replica's scrape, summed over the replicas that have
     * one, as a dashboard's {@code sum} reads them; null if none has.
     */
    private static Double series(List<String> scrapes, String name, Map<String, String> labels) {
        return scrapes.stream().map(scrape -> scrape.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                        .filter(line -> labels.entrySet().stream().allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                        .map(line -> Double.valueOf(line.substring(line.lastIndexOf(' ') + 1)))
                        .findFirst())
                .flatMap(java.util.Optional::stream).reduce(Double::sum).orElse(null);
    }

    /** What Prometheus scrapes from each replica of the service. */
    private static List<String> scrape(String service) {
        return get(service, "/actuator/prometheus");
    }

    /** {@code path} of each replica of the service (the gateway is one). */
    private static List<String> get(String service, String path) {
        TandemUnderTest tandem = EmbeddedTandem.get();
        List<RunningService> replicas = service.equals(GatewayApplication.NAME) ? List.of(tandem.edge) : tandem.replicas.get(service);
        return replicas.stream().map(running -> get(running, service, path)).toList();
    }

    private static String get(RunningService running, String service, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.managementPort() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(service + path).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(service + path + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
