package app.tandem.testkit;

import app.tandem.platform.TandemApplication;
import app.tandem.platform.grpc.BoundGrpcPort;
import app.tandem.platform.security.Caller;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Tandem service started in this JVM, with a plaintext gRPC channel to it. */
public final class RunningService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ManagedChannel channel;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
    }

    public static RunningService start(String serviceName, Class<?> application, Map<String, Object> properties) {
        return new RunningService(TandemApplication.builder(serviceName, application).run(arguments(properties)));
    }

    /** Starts the service with {@code clock} as the clock its rules read, for scenarios that move time. */
    public static RunningService start(String serviceName, Class<?> application, Map<String, Object> properties, Clock clock) {
        return start(serviceName, application, properties, clock, context -> {
        });
    }

    /** The same, with {@code prepare} applied to the service's context before it starts (a test's beans or settings). */
    public static RunningService start(String serviceName, Class<?> application, Map<String, Object> properties, Clock clock,
                                       ApplicationContextInitializer<ConfigurableApplicationContext> prepare) {
        return new RunningService(TandemApplication.builder(serviceName, application)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", clock), prepare)
                .run(arguments(properties)));
    }

    public static RunningService startStateless(String serviceName, Class<?> application, Map<String, Object> properties) {
        return startStateless(serviceName, application, properties, context -> {
        });
    }

    public static RunningService startStateless(String serviceName, Class<?> application, Map<String, Object> properties,
                                                ApplicationContextInitializer<ConfigurableApplicationContext> prepare) {
        return new RunningService(TandemApplication.statelessBuilder(serviceName, application).initializers(prepare)
                .run(arguments(properties)));
    }

    /** As command-line arguments, so they override the service's own configuration file. */
    private static String[] arguments(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    public int port() {
        return context.getBean(BoundGrpcPort.class).port();
    }

    /** The port of the service's health and metrics ({@code /actuator/...}) as bound: random unless configured. */
    public int managementPort() {
        Integer separate = context.getEnvironment().getProperty("local.management.port", Integer.class);
        return separate != null ? separate : context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    /** Credentials to call this service directly as the gateway does for {@code personId}, a partner. */
    public CallCredentials asPartner(String personId) {
        return LocalIdentities.shared().partner(name(), personId);
    }

    public CallCredentials as(Caller caller) {
        return LocalIdentities.shared().as(name(), caller);
    }

    public String name() {
        return context.getEnvironment().getProperty("spring.application.name");
    }

    public ManagedChannel channel() {
        return channel;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
