package app.tandem.devstack;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service in its own JVM with an explicit heap, logging to a file. It exits by itself when the devstack
 * does, however the devstack ends: it watches its standard input, which the devstack holds open.
 */
final class ServiceProcess {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess launch(String name, String mainClass, int port, String heap, Path logDir, Map<String, String> settings)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dtandem.exit-with-parent=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServiceProcess(name, port, process, log);
    }

    /** Waits until the service answers the standard gRPC health check with SERVING. */
    void awaitServing(String host, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance());
                    if (health.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // still starting
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + " did not become healthy within " + timeout + "; see " + log);
        } finally {
            channel.shutdownNow();
        }
    }

    /** SIGTERM, so Spring shuts the service down in order; SIGKILL only if that hangs. */
    void stop() throws InterruptedException {
        terminate();
        awaitExit();
    }

    /** SIGTERM without waiting, so several services shut down at once. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the shutdown {@link #terminate} began; SIGKILL if it hangs. */
    void awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL, as the kernel's OOM killer or a lost machine would end it. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }
}
