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
 * own JVM), stopped once cleanly and once by SIGKILL right after a check-in was acknowledged.
 */
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

    @Test
    void acknowledgedDataSurvivesACleanStopAndASigkill() throws Exception {
        for (String option : List.of("gateway-port", "journal-port", "plans-port", "notifications-port", "care-port", "kafka-port", "mongo-port")) {
            ports.add("--" + option + "=" + freePort());
        }
        // the management ports are the services' own pick: every port chosen ahead is one an outgoing connection may take meanwhile
        for (String option : List.of("gateway-management-port", "journal-management-port", "plans-management-port",
                "notifications-management-port", "care-management-port")) {
            ports.add("--" + option + "=0");
        }
        int gatewayPort = Integer.parseInt(ports.get(0).substring(ports.get(0).indexOf('=') + 1));

        devstack = start();
        DevTokenIssuer issuer = DevTokenIssuer.inFolder(data);
        LocalIdentities identities = LocalIdentities.inFolder(data.resolve("identity"));
        String coupleId;
        String checkInId;
        GatewayClient alex;
        GatewayClient sam;
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        try {
            alex = new GatewayClient(channel, issuer, "alex-" + GatewayClient.key(), identities);
            sam = new GatewayClient(channel, issuer, "sam-" + GatewayClient.key(), identities);
            CreateCoupleResponse couple = alex.createCouple();
            coupleId = couple.getCoupleId();
            sam.join(couple.getInviteCode());
            checkInId = alex.checkIn(coupleId, Visibility.SHARED_WITH_PARTNER, "still here after a crash");
        } finally {
            channel.shutdownNow();
        }
        // the check-in was acknowledged: kill the process holding the Mongo-wire server and the broker
        stop(devstack, true);

        devstack = start();
        assertEverythingIsThere(gatewayPort, issuer, identities, alex, sam, coupleId, checkInId);
        stop(devstack, false);

        devstack = start();
        assertEverythingIsThere(gatewayPort, issuer, identities, alex, sam, coupleId, checkInId);
    }

    /** What the first run stored, read by alex and sam signing in again: their ids are the ones they had. */
    private void assertEverythingIsThere(int gatewayPort, DevTokenIssuer issuer, LocalIdentities identities, GatewayClient before,
                                         GatewayClient samBefore, String coupleId, String checkInId) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        try {
            GatewayClient alex = new GatewayClient(channel, issuer, before.subject, identities);
            GatewayClient sam = new GatewayClient(channel, issuer, samBefore.subject, identities);
            assertThat(alex.couples().getCouple(GetCoupleRequest.newBuilder().setCoupleId(coupleId).build()).getPartnerPersonIdsList())
                    .containsExactly(before.personId, samBefore.personId);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(sam.timeline(coupleId).getEntriesList()).singleElement().satisfies(entry -> {
                        assertThat(entry.getCheckInId()).isEqualTo(checkInId);
                        assertThat(entry.getNote()).isEqualTo("still here after a crash");
                    }));
            // and the prompt for it reaches the partner exactly once, however the stack went down
            try (NotificationWatch stream = sam.watch("")) {
                List<String> prompts = new ArrayList<>();
                Notification next;
                while ((next = stream.next(Duration.ofSeconds(prompts.isEmpty() ? 30 : 2))) != null) {
                    if (next.getKind() == NotificationKind.PARTNER_CHECKED_IN) {
                        prompts.add(next.getCheckInId());
                    }
                }
                assertThat(prompts).containsExactly(checkInId);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    private Process start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Devstack.class.getName(), "up",
                "--data=" + data, "--service-heap=192m"));
        command.addAll(ports);
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
