package app.tandem.platform.tracing;

import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Tracing beyond what Spring Boot instruments by itself (gRPC server calls, Kafka listeners): calls one service makes
 * to another, failures without their messages, and the trace context kept in stored events. After Axon's configuration, whose own correlation data
 * (the message origin) must stay.
 */
@AutoConfiguration(afterName = {
        "org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"})
public class TracingConfiguration {

    /** For a service's channel to another: each call a client span, its trace context in the call's headers. */
    @Bean
    @ConditionalOnMissingBean
    public ObservationGrpcClientInterceptor grpcClientObservation(ObjectProvider<ObservationRegistry> observations) {
        return new ObservationGrpcClientInterceptor(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /** Before every other handler: failures reach spans (and metrics) without their messages. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public RedactedErrors redactedErrors() {
        return new RedactedErrors();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.axonframework.messaging.correlation.CorrelationDataProvider")
    static class StoredEvents {
        @Bean
        @ConditionalOnBean({Tracer.class, Propagator.class})
        StoredTraceContext storedTraceContext(Tracer tracer, Propagator propagator) {
            return new StoredTraceContext(tracer, propagator);
        }
    }
}
