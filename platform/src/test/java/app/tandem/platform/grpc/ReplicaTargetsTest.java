package app.tandem.platform.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A channel to a list of replicas sends its calls to each in turn, and to the ones left when one stops. */
class ReplicaTargetsTest {

    private final List<Server> replicas = new ArrayList<>();
    private final List<AtomicInteger> calls = new ArrayList<>();
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        replicas.forEach(Server::shutdownNow);
    }

    @Test
    void callsGoRoundRobinOverTheListedReplicasAndSkipOneThatStopped() throws Exception {
        for (int i = 0; i < 3; i++) {
            startReplica();
        }
        channel = ReplicaTargets.channelTo(replicas.stream().map(r -> "127.0.0.1:" + r.getPort()).reduce((a, b) -> a + ", " + b).orElseThrow())
                .usePlaintext().build();
        // the policy connects to every replica first; once all are ready, each call goes to the next
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            check();
            return calls.stream().allMatch(c -> c.get() > 0);
        });
        calls.forEach(c -> c.set(0));
        for (int i = 0; i < 9; i++) {
            check();
        }
        assertThat(calls).extracting(AtomicInteger::get).containsExactly(3, 3, 3);

        replicas.get(1).shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        // once the channel has seen the connection go, the calls alternate between the two left
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            calls.forEach(c -> c.set(0));
            for (int i = 0; i < 4; i++) {
                check();
            }
            assertThat(calls).extracting(AtomicInteger::get).containsExactly(2, 0, 2);
        });
    }

    @Test
    void aTargetNamesHostAndPortOfEachReplica() {
        assertThat(ReplicaTargets.valid("127.0.0.1:9101")).isTrue();
        assertThat(ReplicaTargets.valid("127.0.0.1:9101,127.0.0.1:9111")).isTrue();
        assertThat(ReplicaTargets.valid("dns:///journal-service:9101")).isTrue();
        assertThat(ReplicaTargets.valid("127.0.0.1:9101,journal")).isFalse();
        assertThat(ReplicaTargets.valid(" , ")).isFalse();
        assertThat(ReplicaTargets.valid(null)).isFalse();
    }

    private void check() {
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
    }

    private void startReplica() throws Exception {
        AtomicInteger count = new AtomicInteger();
        ServerInterceptor counting = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                count.incrementAndGet();
                return next.startCall(call, headers);
            }
        };
        Server server = ServerBuilder.forPort(0)
                .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), counting)).build().start();
        replicas.add(server);
        calls.add(count);
    }
}
