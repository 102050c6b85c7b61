package app.tandem.devstack.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each overlay of deploy/k8s rendered as kustomize renders it (and compared with {@code kubectl kustomize} where kubectl
 * is installed), every Kubernetes object read into the Kubernetes model with no field it does not know, and what a
 * deployment of Tandem must have checked: probes, resources and a non-root user for every container, a disruption
 * budget, autoscaler and Service for every Deployment, network policies that deny what they do not allow, the data tier
 * by its operators with one principal and one database per service.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> MODEL = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "NetworkPolicy", NetworkPolicy.class);
    private static final Map<String, String> OPERATED = Map.of(
            "Kafka", "kafka.strimzi.io/v1beta2", "KafkaNodePool", "kafka.strimzi.io/v1beta2", "KafkaTopic", "kafka.strimzi.io/v1beta2",
            "KafkaUser", "kafka.strimzi.io/v1beta2", "MongoDBCommunity", "mongodbcommunity.mongodb.com/v1");
    private static final String NAME = "app.kubernetes.io/name";
    /** Who may call each service's gRPC port: the gateway; journal-service's internal API also the services it names. */
    private static final Map<String, Set<String>> CALLERS = Map.of(
            "journal-service", Set.of("gateway", "plans-service", "notifications-service", "care-service"),
            "plans-service", Set.of("gateway"), "notifications-service", Set.of("gateway"), "care-service", Set.of("gateway"));
    private static final String PRIVACY = "tandem.privacy.v1";
    private static final String TRUSTED = "tandem.identity.trusted-callers.";

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void anOverlayRendersToADeploymentOfTandemThatHoldsTogether(String overlay) throws Exception {
        Path folder = DeployFiles.deploy().resolve("k8s/overlays").resolve(overlay);
        List<ObjectNode> rendered = Kustomization.render(folder);
        List<ObjectNode> kubectl = Kustomization.byKubectl(folder);
        if (kubectl != null) {
            assertThat(new HashSet<>(rendered)).as("the rendering is kubectl kustomize's").isEqualTo(new HashSet<>(kubectl));
        }

        List<HasMetadata> objects = new ArrayList<>();
        for (ObjectNode document : rendered) {
            String kind = document.path("kind").asText();
            assertThat(document.path("metadata").path("namespace").asText()).as("%s's namespace", kind).isNotEmpty();
            if (OPERATED.containsKey(kind)) {
                assertThat(document.path("apiVersion").asText()).as(kind).isEqualTo(OPERATED.get(kind));
                continue;
            }
            assertThat(MODEL).as("a kind the deployment is made of").containsKey(kind);
            HasMetadata object = STRICT.treeToValue(document, MODEL.get(kind));
            assertNoUnknownFields(object, kind + "/" + object.getMetadata().getName());
            objects.add(object);
        }
        List<Deployment> deployments = all(objects, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(DeployFiles.IMAGES);

        Map<String, DeployFiles.Image> images = DeployFiles.images();
        for (Deployment deployment : deployments) {
            String name = deployment.getMetadata().getName();
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(matches(deployment.getSpec().getSelector(), podLabels)).as("%s selects its pods", name).isTrue();
            assertThat(deployment.getSpec().getReplicas()).as("%s's replicas", name).isGreaterThanOrEqualTo(2);
            PodSecurityContext pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String where = name + "/" + container.getName();
                assertThat(container.getReadinessProbe()).as("%s's readiness probe", where).isNotNull();
                assertThat(container.getLivenessProbe()).as("%s's liveness probe", where).isNotNull();
                assertThat(container.getStartupProbe()).as("%s's startup probe", where).isNotNull();
                assertThat(container.getResources().getRequests()).as("%s's requests", where).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as("%s's limits", where).containsKeys("cpu", "memory");
                // the heap is a share of the limit (MaxRAMPercentage): the pod gets what it may use, never killed for taking it
                assertThat(container.getResources().getLimits().get("memory")).as("%s's memory", where)
                        .isEqualTo(container.getResources().getRequests().get("memory"));
                SecurityContext own = container.getSecurityContext();
                boolean nonRoot = Boolean.TRUE.equals(own != null && own.getRunAsNonRoot() != null ? own.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot());
                Long user = own != null && own.getRunAsUser() != null ? own.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
                assertThat(nonRoot).as("%s runs as non-root", where).isTrue();
                assertThat(user).as("%s's user", where).isNotNull().isNotZero();
                assertThat(own.getAllowPrivilegeEscalation()).as("%s may not escalate", where).isFalse();
                assertThat(own.getReadOnlyRootFilesystem()).as("%s's read-only root", where).isTrue();
                // the ports the image exposes and its configuration listens on
                DeployFiles.Image image = images.get(name);
                assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("grpc", image.grpcPort()),
                                org.assertj.core.groups.Tuple.tuple("management", image.managementPort()));
                if (!name.equals("gateway")) {
                    // the gateway's port speaks TLS only, which the kubelet's gRPC probe does not: it asks Actuator
                    assertThat(container.getReadinessProbe().getGrpc()).as("%s's gRPC readiness", where).isNotNull();
                    assertThat(container.getLivenessProbe().getGrpc()).as("%s's gRPC liveness", where).isNotNull();
                    assertThat(container.getReadinessProbe().getGrpc().getPort()).isEqualTo(image.grpcPort());
                }
            }
            checkIdentity(deployment, grpcPort(deployments, "journal-service"));
            assertThat(all(objects, PodDisruptionBudget.class)).as("%s's disruption budget", name)
                    .anySatisfy(pdb -> assertThat(matches(pdb.getSpec().getSelector(), podLabels)).isTrue());
            assertThat(all(objects, HorizontalPodAutoscaler.class)).as("%s's autoscaler", name).anySatisfy(hpa -> {
                assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
                assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(name);
                assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            });
            assertThat(all(objects, Service.class)).as("%s's Service", name)
                    .anySatisfy(service -> assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector()));
        }
        assertThat(all(objects, Service.class)).as("the one public Service")
                .filteredOn(s -> "LoadBalancer".equals(s.getSpec().getType()) || "NodePort".equals(s.getSpec().getType()))
                .singleElement().satisfies(s -> assertThat(s.getSpec().getSelector()).containsEntry(NAME, "gateway"));
        assertThat(rendered).as("no Secret's value is committed").noneMatch(d -> d.path("kind").asText().equals("Secret"));

        checkNetworkPolicies(all(objects, NetworkPolicy.class), deployments);
        checkDataTier(rendered, deployments);
    }

    /**
     * A service trusts exactly the callers its policies admit, each by a key of its identity Secret; a caller of
     * journal-service asks every replica of it; the gateway holds its signing secret and the key of people's ids.
     */
    private static void checkIdentity(Deployment deployment, int journalPort) {
        String name = deployment.getMetadata().getName();
        Set<String> files = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getProjected() != null).flatMap(v -> v.getProjected().getSources().stream())
                .filter(s -> s.getSecret() != null).flatMap(s -> s.getSecret().getItems().stream())
                .map(KeyToPath::getPath).collect(Collectors.toSet());
        assertThat(files).as("%s's secrets", name).contains("tandem.identity.signing-secret");
        Set<String> trusted = files.stream().filter(f -> f.startsWith(TRUSTED)).map(f -> f.substring(TRUSTED.length())).collect(Collectors.toSet());
        if (name.equals("gateway")) {
            assertThat(files).as("the gateway's secrets").contains("tandem.auth.person-id-key");
            assertThat(trusted).as("the gateway trusts no caller").isEmpty();
            return;
        }
        assertThat(trusted).as("whom %s trusts", name).isEqualTo(CALLERS.get(name));
        if (CALLERS.get("journal-service").contains(name)) {
            String variable = "TANDEM_" + name.substring(0, name.indexOf('-')).toUpperCase(java.util.Locale.ROOT) + "_JOURNALTARGET";
            assertThat(value(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), variable))
                    .as("%s's journal-service", name).isEqualTo("dns:///journal-service:" + journalPort);
        }
    }

    private static int grpcPort(List<Deployment> deployments, String name) {
        return deployments.stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> p.getName().equals("grpc")).findFirst().orElseThrow().getContainerPort();
    }

    private static void checkNetworkPolicies(List<NetworkPolicy> policies, List<Deployment> deployments) {
        assertThat(policies).as("a policy that denies everything by default").anySatisfy(p -> {
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
            assertThat(p.getSpec().getEgress()).isNullOrEmpty();
        });
        CALLERS.forEach((service, expected) -> {
            Set<String> admitted = new HashSet<>();
            for (NetworkPolicy policy : policies) {
                if (!selects(policy.getSpec().getPodSelector(), service)) {
                    continue;
                }
                for (NetworkPolicyIngressRule rule : Objects.requireNonNullElse(policy.getSpec().getIngress(), List.<NetworkPolicyIngressRule>of())) {
                    boolean grpc = rule.getPorts() == null || rule.getPorts().stream().anyMatch(p -> p.getPort() != null
                            && p.getPort().getIntVal() != null && p.getPort().getIntVal().equals(grpcPort(deployments, service)));
                    if (!grpc) {
                        continue;
                    }
                    assertThat(rule.getFrom()).as("%s's gRPC port admits named peers only", service).isNotEmpty();
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        assertThat(peer.getIpBlock()).as("%s admits no address range", service).isNull();
                        assertThat(peer.getNamespaceSelector()).as("%s admits no other namespace", service).isNull();
                        admitted.add(peer.getPodSelector().getMatchLabels().get(NAME));
                    }
                }
            }
            assertThat(admitted).as("who reaches %s", service).isEqualTo(expected);
        });
    }

    private static void checkDataTier(List<ObjectNode> rendered, List<Deployment> deployments) {
        List<String> services = deployments.stream().map(d -> d.getMetadata().getName()).filter(n -> !n.equals("gateway")).toList();
        JsonNode mongo = single(rendered, "MongoDBCommunity");
        assertThat(mongo.path("spec").path("members").asInt()).as("replica set members").isGreaterThanOrEqualTo(3);
        assertThat(mongo.path("spec").path("type").asText()).isEqualTo("ReplicaSet");
        JsonNode kafka = single(rendered, "Kafka");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.path("spec").path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("spec").path("kafka").path("listeners")).allSatisfy(listener ->
                assertThat(listener.path("authentication").path("type").asText()).as("every listener authenticates").isNotEmpty());
        assertThat(single(rendered, "KafkaNodePool").path("spec").path("replicas").asInt()).as("brokers").isGreaterThanOrEqualTo(3);
        Set<String> topics = rendered.stream().filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                .peek(t -> assertThat(t.path("spec").path("replicas").asInt()).as("a topic's replicas").isGreaterThanOrEqualTo(3))
                .map(t -> t.path("spec").path("topicName").asText()).collect(Collectors.toSet());

        Map<String, Set<String>> writers = new java.util.HashMap<>();
        for (String service : services) {
            Container container = deployments.stream().filter(d -> d.getMetadata().getName().equals(service)).findFirst().orElseThrow()
                    .getSpec().getTemplate().getSpec().getContainers().get(0);
            // its own MongoDB user, whose connection string the operator writes, owning its one database
            assertThat(mongo.path("spec").path("users")).as("%s's MongoDB user", service).anySatisfy(user -> {
                assertThat(user.path("name").asText()).isEqualTo(service);
                assertThat(user.path("roles")).singleElement().satisfies(role -> {
                    assertThat(role.path("name").asText()).isEqualTo("readWrite");
                    assertThat(role.path("db").asText()).isEqualTo(service);
                });
                assertThat(secretOf(container, "SPRING_MONGODB_URI"))
                        .isEqualTo(mongo.path("metadata").path("name").asText() + "-" + user.path("db").asText() + "-" + service);
            });
            assertThat(value(container, "SPRING_MONGODB_DATABASE")).isEqualTo(service);
            // its own Kafka principal, whose credentials Strimzi writes into a Secret of its name
            JsonNode user = rendered.stream().filter(d -> d.path("kind").asText().equals("KafkaUser")
                    && d.path("metadata").path("name").asText().equals(service)).findFirst()
                    .orElseThrow(() -> new AssertionError("no KafkaUser " + service));
            assertThat(secretOf(container, "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).isEqualTo(service);
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                String type = acl.path("resource").path("type").asText();
                String name = acl.path("resource").path("name").asText();
                if (type.equals("topic")) {
                    assertThat(topics).as("%s's ACL names a topic that exists", service).contains(name);
                    if (Kustomization.array(acl.path("operations")).toString().contains("\"Write\"") && !name.endsWith(".dlt")) {
                        writers.computeIfAbsent(name, t -> new HashSet<>()).add(service);
                    }
                }
                assertThat(acl.path("operations").toString()).as("%s has no blanket rights", service).doesNotContain("\"All\"");
            }
        }
        // each integration topic has one writer, so only journal-service states who is in which couple; but for the
        // erasure confirmations, where every service confirms its own part
        assertThat(writers).containsOnlyKeys("tandem.journal.v1", "tandem.plans.v1", "tandem.care.v1", PRIVACY);
        writers.forEach((topic, by) -> assertThat(by).as("who writes %s", topic).hasSize(topic.equals(PRIVACY) ? services.size() : 1));
        assertThat(writers.get("tandem.journal.v1")).containsExactly("journal-service");
        assertThat(writers.get(PRIVACY)).containsExactlyInAnyOrderElementsOf(services);
    }

    private static JsonNode single(List<ObjectNode> rendered, String kind) {
        List<ObjectNode> found = rendered.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static String secretOf(Container container, String variable) {
        return container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + variable))
                .getValueFrom().getSecretKeyRef().getName();
    }

    private static String value(Container container, String variable) {
        return container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + variable)).getValue();
    }

    private static boolean selects(LabelSelector selector, String name) {
        return selector.getMatchLabels() != null && name.equals(selector.getMatchLabels().get(NAME));
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return selector != null && selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static <T> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * The model keeps any field it does not know in {@code additionalProperties} instead of failing: a misspelt probe or
     * limit would pass unseen. Every object in the tree must have none.
     */
    private static void assertNoUnknownFields(Object object, String path) throws Exception {
        if (object == null || !object.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            if (object instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    assertNoUnknownFields(item, path + "[" + i++ + "]");
                }
            } else if (object instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    assertNoUnknownFields(entry.getValue(), path + "." + entry.getKey());
                }
            }
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (!getter.getName().startsWith("get") || getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(object);
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("fields %s does not know", path).isNullOrEmpty();
            } else {
                assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
            }
        }
    }
}
