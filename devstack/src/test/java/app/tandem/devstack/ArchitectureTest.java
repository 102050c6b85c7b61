package app.tandem.devstack;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.axonframework.spring.stereotype.Aggregate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structure the code base keeps: domain code speaks only the domain, services do not reach into each other,
 * and the development servers stay out of everything that is deployed.
 */
class ArchitectureTest {

    private static final List<String> SERVICES = List.of("journal", "plans", "notifications", "care", "gateway");
    private static final String[] INFRASTRUCTURE = {"com.mongodb..", "org.bson..", "org.apache.kafka..", "org.springframework..",
            "io.grpc.."};
    private static final String[] DEVELOPMENT_SERVERS = {"app.tandem.devservers..", "app.tandem.testkit..", "de.bwaldvogel..",
            "org.h2..", "kafka.."};

    private static JavaClasses production;

    @BeforeAll
    static void importProductionCode() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("app.tandem.platform", "app.tandem.journal", "app.tandem.plans", "app.tandem.notifications",
                        "app.tandem.care", "app.tandem.gateway");
    }

    /** Aggregates, their commands and events, and decision policies: what the rules of the product are written in. */
    private static final DescribedPredicate<JavaClass> DOMAIN = DescribedPredicate.describe("aggregates, commands, events and policies",
            type -> {
                JavaClass top = type;
                while (top.getEnclosingClass().isPresent()) {
                    top = top.getEnclosingClass().get();
                }
                // a Spring component (such as the translator of integration events) is an adapter, whatever its name
                return top.isAnnotatedWith("org.axonframework.spring.stereotype.Aggregate")
                        || top.getSimpleName().matches(".*(Commands|Events|Policy)")
                        && !top.isAnnotatedWith("org.springframework.stereotype.Component");
            });

    @Test
    void domainCodeImportsNoMongoDbKafkaGrpcOrSpring() {
        classes().that(DOMAIN).and().resideOutsideOfPackage("app.tandem.platform..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages(INFRASTRUCTURE)
                .check(production);
    }

    @Test
    void thereIsDomainCodeForTheRuleAboveToCheck() {
        assertThat(production.that(DOMAIN).stream().map(JavaClass::getSimpleName))
                .contains("Journey", "Couple", "Entry", "Boundary", "RelapseResponse", "SafetyPlan", "PromptPolicy", "Consent");
    }

    /** A snapshot would store an aggregate's state with the plain serializer, outside the sealing of personal facts. */
    @Test
    void noAggregateIsSnapshotted() {
        classes().that().areAnnotatedWith(Aggregate.class).should(new ArchCondition<>("declare no snapshot trigger") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                String trigger = type.getAnnotationOfType(Aggregate.class).snapshotTriggerDefinition();
                if (!trigger.isEmpty()) {
                    events.add(SimpleConditionEvent.violated(type, type.getName() + " is snapshotted by " + trigger));
                }
            }
        }).check(production);
        assertThat(production.that(DescribedPredicate.describe("aggregates", (JavaClass type) -> type.isAnnotatedWith(Aggregate.class))))
                .as("aggregates for the rule above to check").isNotEmpty();
    }

    @Test
    void noServiceImportsAnotherServicesPackages() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(other -> !other.equals(service)).map(other -> "app.tandem." + other + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("app.tandem." + service + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(production);
        }
    }

    @Test
    void onlyTheDevstackTestsAndBenchmarksUseTheDevelopmentServers() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(DEVELOPMENT_SERVERS).check(production);
    }

    /** The executable jars {@code ./mvnw verify} packages before this module's tests run; a deployment runs these. */
    @Test
    void thePackagedServiceJarsHoldNoDevelopmentServer() throws IOException {
        for (String module : List.of("journal-service", "plans-service", "notifications-service", "care-service", "gateway")) {
            Path jar;
            try (Stream<Path> built = Files.list(Path.of("..", module, "target"))) {
                jar = built.filter(file -> file.getFileName().toString().matches(module + "-[0-9].*-exec\\.jar")).findFirst()
                        .orElseThrow(() -> new AssertionError(module + " is not packaged; ./mvnw verify packages it before these tests"));
            }
            List<String> entries = new ArrayList<>();
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    entries.add(entry.getName());
                    if (entry.getName().startsWith("BOOT-INF/lib/tandem-")) {
                        // Tandem's own libraries, class by class
                        try (JarInputStream nested = new JarInputStream(file.getInputStream(entry))) {
                            for (JarEntry inner; (inner = nested.getNextJarEntry()) != null; ) {
                                entries.add(entry.getName() + "!/" + inner.getName());
                            }
                        }
                    }
                }
            }
            assertThat(entries).as(module).anyMatch(entry -> entry.startsWith("BOOT-INF/lib/tandem-platform"));
            assertThat(entries).as(module).noneMatch(entry -> entry.startsWith("BOOT-INF/lib/tandem-devservers")
                    || entry.startsWith("BOOT-INF/lib/tandem-testkit") || entry.startsWith("BOOT-INF/lib/mongo-java-server")
                    || entry.startsWith("BOOT-INF/lib/h2-") || entry.startsWith("BOOT-INF/lib/kafka_2.13")
                    || entry.contains("app/tandem/devservers/") || entry.contains("app/tandem/testkit/")
                    || entry.contains("/embedded/") || entry.contains("de/bwaldvogel/") || entry.contains("org/h2/"));
        }
    }
}
