package app.tandem.devstack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/compose.yaml read as Compose reads it (anchors and merge keys resolved): a three-member MongoDB replica set, a
 * three-broker KRaft cluster, two replicas of each service with a health check on its management port, the gateway the
 * only one published and with TLS, every secret from the env file the example lists; and {@code docker-compose config}
 * accepting it where that tool is installed.
 */
class ComposeFileTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?][^}]*)?}");

    @TempDir
    Path scratch;

    @Test
    void theComposeFileRunsTandemOnAReplicaSetAndAKafkaCluster() throws Exception {
        Path file = DeployFiles.deploy().resolve("compose.yaml");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> compose = new Yaml(options).load(Files.readString(file));
        Map<String, Object> services = map(compose.get("services"));

        List<String> mongos = List.of("mongo1", "mongo2", "mongo3");
        for (String mongo : mongos) {
            assertThat(list(map(services.get(mongo)).get("command"))).as(mongo).containsSubsequence("--replSet", "tandem");
            assertThat(map(services.get(mongo))).as(mongo).containsKey("healthcheck");
        }
        String initiate = String.join(" ", list(map(services.get("mongo-init")).get("command")).stream().map(Object::toString).toList());
        assertThat(initiate).contains("rs.initiate", "_id: 'tandem'", "mongo1:27017", "mongo2:27017", "mongo3:27017");

        Set<String> nodeIds = new TreeSet<>();
        for (String kafka : List.of("kafka1", "kafka2", "kafka3")) {
            Map<String, Object> environment = map(map(services.get(kafka)).get("environment"));
            assertThat(environment.get("KAFKA_PROCESS_ROLES")).as(kafka).isEqualTo("broker,controller");
            assertThat(environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).as(kafka).isEqualTo("1@kafka1:9093,2@kafka2:9093,3@kafka3:9093");
            assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS")).as(kafka).isEqualTo("PLAINTEXT://" + kafka + ":9092");
            assertThat(environment.get("KAFKA_MIN_INSYNC_REPLICAS")).as(kafka).isEqualTo("2");
            nodeIds.add(environment.get("KAFKA_NODE_ID").toString());
            assertThat(map(services.get(kafka))).as(kafka).containsKey("healthcheck");
        }
        assertThat(nodeIds).containsExactly("1", "2", "3");

        Map<String, DeployFiles.Image> images = DeployFiles.images();
        for (DeployFiles.Image image : images.values()) {
            Map<String, Object> service = map(services.get(image.module()));
            assertThat(service.get("image").toString()).as(image.module()).endsWith("/" + image.module() + ":${TANDEM_VERSION:-0.1.0-SNAPSHOT}");
            String health = String.join(" ", list(map(service.get("healthcheck")).get("test")).stream().map(Object::toString).toList());
            assertThat(health).as("%s's health check asks Actuator on its management port", image.module())
                    .contains("/dev/tcp/127.0.0.1/" + image.managementPort() + " ", "/actuator/health");
            Map<String, Object> environment = map(service.get("environment"));
            if (image.module().equals("gateway")) {
                assertThat(environment).containsEntry("SPRING_GRPC_SERVER_SSL_BUNDLE", "gateway")
                        .containsKeys("SPRING_SSL_BUNDLE_PEM_GATEWAY_KEYSTORE_CERTIFICATE", "SPRING_SSL_BUNDLE_PEM_GATEWAY_KEYSTORE_PRIVATEKEY");
                assertThat(list(service.get("ports"))).singleElement().asString().endsWith(":" + image.grpcPort());
                for (String target : List.of("JOURNAL_TARGET", "PLANS_TARGET", "NOTIFICATIONS_TARGET", "CARE_TARGET")) {
                    assertThat(environment.get(target).toString()).as(target).startsWith("dns:///");
                }
            } else {
                assertThat(map(service.get("deploy")).get("replicas")).as("%s's replicas", image.module()).isEqualTo(2);
                assertThat(service).as("%s is published on no host port", image.module()).doesNotContainKey("ports");
                assertThat(list(service.get("networks"))).as(image.module()).containsExactly("internal");
                assertThat(environment.get("SPRING_MONGODB_URI").toString()).contains("mongo1:27017,mongo2:27017,mongo3:27017", "replicaSet=tandem");
                assertThat(environment.get("SPRING_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka1:9092,kafka2:9092,kafka3:9092");
                assertThat(environment.get("TANDEM_CRYPTO_MASTERKEY").toString()).startsWith("${TANDEM_MASTER_KEY:?");
            }
            assertThat(environment.get("TANDEM_IDENTITY_SIGNINGSECRET").toString()).as(image.module()).matches("\\$\\{[A-Z_]+:\\?.*}");
        }
        assertThat(map(map(services.get("gateway")).get("environment")).get("TANDEM_AUTH_PERSONIDKEY").toString())
                .startsWith("${TANDEM_PERSON_ID_KEY:?");
        // journal-service trusts the gateway and the services that call its internal API, each asking every replica
        JsonNode journal = new ObjectMapper().readTree(map(map(services.get("journal-service")).get("environment")).get("SPRING_APPLICATION_JSON").toString());
        List<String> callers = new ArrayList<>();
        journal.path("tandem").path("identity").path("trusted-callers").fieldNames().forEachRemaining(callers::add);
        assertThat(callers).containsExactlyInAnyOrder("gateway", "plans-service", "notifications-service", "care-service");
        for (String caller : callers.stream().filter(c -> !c.equals("gateway")).toList()) {
            String prefix = caller.substring(0, caller.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
            assertThat(journal.path("tandem").path("identity").path("trusted-callers").path(caller).asText()).startsWith("${" + prefix + "_KEY_FOR_JOURNAL:?");
            assertThat(map(map(services.get(caller)).get("environment"))).containsEntry("TANDEM_" + prefix + "_JOURNALTARGET", "dns:///journal-service:9101");
        }
        assertThat(map(map(compose.get("networks")).get("internal"))).containsEntry("internal", true);

        // every variable the file needs is one the example env file names, and the real one is never committed
        Map<String, String> example = envFile(DeployFiles.deploy().resolve("tandem.env.example"));
        Set<String> required = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(Files.readString(file));
        while (matcher.find()) {
            if (matcher.group(2) != null && matcher.group(2).startsWith(":?")) {
                required.add(matcher.group(1));
            }
        }
        assertThat(required).hasSizeGreaterThan(10);
        assertThat(example.keySet()).containsAll(required);
        assertThat(Files.readAllLines(DeployFiles.root().resolve(".gitignore"))).contains("deploy/tandem.env");

        dockerComposeConfig(file, example);
    }

    /** {@code docker-compose config} with each empty setting of the example filled, where the tool exists. */
    private void dockerComposeConfig(Path file, Map<String, String> example) throws IOException, InterruptedException {
        Path env = scratch.resolve("tandem.env");
        List<String> lines = new ArrayList<>();
        example.forEach((key, value) -> lines.add(key + "=" + (value.isEmpty() ? "c2VjcmV0LWZvci0" + key.length() : value)));
        Files.write(env, lines);
        Process compose;
        try {
            compose = new ProcessBuilder("docker-compose", "-f", file.toString(), "--env-file", env.toString(), "config", "--quiet")
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "docker-compose is not installed: the file was checked as parsed above only");
            return;
        }
        String output = new String(compose.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(compose.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(compose.exitValue()).as(output).isZero();
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }
}
