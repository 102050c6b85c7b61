package app.tandem.devstack;

import app.tandem.api.v1.Role;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.testkit.ScriptedLoad;
import org.springframework.core.env.MapPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The in-process Tandem the end-to-end tests share, with the people they act as: two replicas of every service, so
 * each scenario also shows that a call may reach either replica and a prompt is sent once whichever handles it.
 */
final class TandemUnderTest extends InProcessTandem {

    TandemUnderTest(String mongoUri, String kafkaBootstrapServers) {
        this(mongoUri, kafkaBootstrapServers, Map.of());
    }

    /** @param serviceSettings settings every service takes over its own (for the MongoDB and Kafka it runs on) */
    TandemUnderTest(String mongoUri, String kafkaBootstrapServers, Map<String, Object> serviceSettings) {
        super(mongoUri, kafkaBootstrapServers, ScriptedLoad.gatewayLimits(SCRIPTED_CALLS_PER_MINUTE, SCRIPTED_BURST), REPLICAS,
                context -> {
                    RecordedSpans.addTo(context);
                    // two replicas of every service and the broker share this JVM's cores, so a projection may fall
                    // seconds behind: reads wait for it up to twice the product's 2 s, inside the 5 s of a facts call
                    context.getEnvironment().getPropertySources().addLast(new MapPropertySource("scenarios",
                            Map.of("tandem.event-store.read-your-writes-wait", "4s")));
                    if (!serviceSettings.isEmpty()) {
                        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("cluster", serviceSettings));
                    }
                });
    }

    /** Replicas of each service: two, unless the test run says otherwise ({@code tandem.replicas}; the fuzzing run's one). */
    static final int REPLICAS = Integer.getInteger("tandem.replicas", 2);

    /** The scenarios act faster than people: a hundred times the write limit, still finite so it can be reached. */
    static final int SCRIPTED_CALLS_PER_MINUTE = 6_000;
    static final int SCRIPTED_BURST = 300;

    GatewayClient person(String name) {
        return new GatewayClient(gateway, issuer, name + "-" + GatewayClient.key());
    }

    /** Someone whose token names these roles (a counselor's, their organisation too). */
    GatewayClient withRoles(String name, Set<Role> roles, String organisation) {
        String subject = name + "-" + GatewayClient.key();
        return new GatewayClient(gateway, subject, BearerToken.of(issuer.issue(subject, roles, organisation, Duration.ofMinutes(30))));
    }
}
