package app.tandem.devstack;

import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.Visibility;
import app.tandem.testkit.DevTokenIssuer;
import app.tandem.testkit.LocalIdentities;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The devstack as a user runs it (one process holding Kafka and the Mongo-wire server, each service in its
 * own JVM): first with two replicas of each service behind the gateway, one notifications-service replica SIGKILLed
 * right after a check-in was acknowledged; then the whole devstack SIGKILLed and started again with everything there;
 * then stopped cleanly, every service JVM with it.
 */
@Order(1)
class DevstackRestartTest {

    @TempDir
    Path data;

    private final List<String> ports = new ArrayList<>();
    private Process devstack;

    @AfterEach
    void stopDevstack() throws InterruptedException {
        if (devstack != null && devstack.isAlive()) {
            stop(devstack, false);
        }
    }

    private static final int REPLICA_PORT_OFFSET = 10;

    @Test
    void acknowledgedDataSurvivesAKilledReplicaAndASigkilledDevstack() throws Exception {
        for (String option : List.of("gateway-port", "journal-port", "plans-port", "notifications-port", "care-port", "kafka-port", "mongo-port", "web-port")) {
            ports.add("--" + option + "=" + freePortWithReplica());
        }
        ports.add("--replica-port-offset=" + REPLICA_PORT_OFFSET);
        // the management ports are the services' own pick: every port chosen ahead is one an outgoing connection may take meanwhile
        for (String option : List.of("gateway-management-port", "journal-management-port", "plans-management-port",
                "notifications-management-port", "care-management-port")) {
            ports.add("--" + option + "=0");
        }
        int gatewayPort = port("gateway-port");

        devstack = start("--replicas=2");
        DevTokenIssuer issuer = DevTokenIssuer.inFolder(data);
        LocalIdentities identities = LocalIdentities.inFolder(data.resolve("identity"));
        String coupleId;
        List<String> checkIns = new ArrayList<>();
        GatewayClient alex;
        GatewayClient sam;
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        try {
            alex = new GatewayClient(channel, issuer, "alex-" + GatewayClient.key(), identities);
            sam = new GatewayClient(channel, issuer, "sam-" + GatewayClient.key(), identities);
            CreateCoupleResponse couple = alex.createCouple();
            coupleId = couple.getCoupleId();
            sam.join(couple.getInviteCode());
            checkIns.add(alex.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "still here after a crash"));
            // the check-in was acknowledged: its prompt may be half-way through the replica killed now
            killReplica(port("notifications-port") + REPLICA_PORT_OFFSET);
            try (NotificationWatch stream = sam.watch("")) {
                checkIns.add(alex.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "and after a replica died"));
                assertThat(partnerPrompts(stream, checkIns.size())).containsExactlyElementsOf(checkIns);
                assertThat(stream.ended()).as("the stream stays open on the replica that lives").isNull();
            }
            assertEverythingIsThere(gatewayPort, issuer, identities, alex, sam, coupleId, checkIns);
        } finally {
            channel.shutdownNow();
        }
        // the check-in was acknowledged: kill the process holding the Mongo-wire server and the broker
        stop(devstack, true);

        devstack = start();
        assertEverythingIsThere(gatewayPort, issuer, identities, alex, sam, coupleId, checkIns);
        // a clean stop ends every service JVM with the devstack (stop waits for them)
        stop(devstack, false);
    }

    /** What the first run stored, read by alex and sam signing in again: their ids are the ones they had. */
    private void assertEverythingIsThere(int gatewayPort, DevTokenIssuer issuer, LocalIdentities identities, GatewayClient before,
                                         GatewayClient samBefore, String coupleId, List<String> checkIns) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        try {
            GatewayClient alex = new GatewayClient(channel, issuer, before.subject, identities);
            GatewayClient sam = new GatewayClient(channel, issuer, samBefore.subject, identities);
            assertThat(alex.couples().getCouple(GetCoupleRequest.newBuilder().setCoupleId(coupleId).build()).getPartnerPersonIdsList())
                    .containsExactly(before.personId, samBefore.personId);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sam.timeline(coupleId).getEntriesList()).extracting(entry -> entry.getCheckInId())
                            .containsExactlyInAnyOrderElementsOf(checkIns));
            // and the prompt for each reaches the partner exactly once, however the stack or a replica went down
            try (NotificationWatch stream = sam.watch("")) {
                assertThat(partnerPrompts(stream, checkIns.size())).containsExactlyElementsOf(checkIns);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * The check-ins the partner's stream announces, in order: until {@code expected} came (a killed replica's Kafka
     * partitions move to the other after the consumer session's 15 s) and then two quiet seconds, in which a double
     * would show.
     */
    private static List<String> partnerPrompts(NotificationWatch stream, int expected) throws InterruptedException {
        List<String> prompts = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Notification next;
        while ((next = stream.next(prompts.size() < expected ? Duration.ofNanos(deadline - System.nanoTime()) : Duration.ofSeconds(2))) != null) {
            if (next.getKind() == NotificationKind.PARTNER_CHECKED_IN) {
                prompts.add(next.getCheckInId());
            }
        }
        return prompts;
    }

    /** SIGKILL to the service JVM of the devstack that serves gRPC on {@code port}. */
    private void killReplica(int port) throws InterruptedException {
        ProcessHandle replica = devstack.toHandle().descendants()
                .filter(p -> arguments(p).contains("--spring.grpc.server.port=" + port))
                .findFirst().orElseThrow(() -> new IllegalStateException("no replica on port " + port));
        replica.destroyForcibly();
        assertThat(replica.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join()).isNotNull();
    }

    /** A process's arguments from Linux's /proc: the JDK's {@code ProcessHandle.Info} leaves them out here. */
    private static List<String> arguments(ProcessHandle process) {
        try {
            return List.of(new String(java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    private int port(String option) {
        return ports.stream().filter(p -> p.startsWith("--" + option + "=")).map(p -> Integer.parseInt(p.substring(p.indexOf('=') + 1)))
                .findFirst().orElseThrow();
    }

    private Process start(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Devstack.class.getName(), "up",
                "--data=" + data, "--service-heap=192m"));
        command.addAll(ports);
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.equals("DEVSTACK READY")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("the devstack ended before it was ready"));
        }, "devstack-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(4, TimeUnit.MINUTES);
        } catch (Exception e) {
            synchronized (output) {
                throw new IllegalStateException("devstack did not start:\n" + output, e);
            }
        }
        return process;
    }

    /** Stops the devstack and waits until all its service JVMs have exited too. */
    private static void stop(Process process, boolean kill) throws InterruptedException {
        List<ProcessHandle> services = process.toHandle().descendants().toList();
        if (kill) {
            process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        } else {
            process.destroy(); // SIGTERM: the devstack stops everything in order
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (ProcessHandle service : services) {
            assertThat(service.onExit().completeOnTimeout(null, 60, TimeUnit.SECONDS).join())
                    .as("service %s (%s) exited", service.pid(), service.info().commandLine().orElse("?"))
                    .isNotNull();
        }
    }

    /** A free port whose replica's port, {@link #REPLICA_PORT_OFFSET} above it, is free too. */
    private static int freePortWithReplica() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0); ServerSocket replica = new ServerSocket(socket.getLocalPort() + REPLICA_PORT_OFFSET)) {
                return socket.getLocalPort();
            } catch (java.net.BindException taken) {
                // the replica's port is in use: another pair
            }
        }
    }
}
