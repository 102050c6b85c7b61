package app.tandem.platform.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Tracing beyond what Spring Boot instruments by itself (gRPC server calls, Kafka listeners): the trace context kept
 * in stored events. After Axon's configuration, whose own correlation data (message origin) must stay.
 */
@AutoConfiguration(afterName = {
        "org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"})
@ConditionalOnClass(name = "org.axonframework.messaging.correlation.CorrelationDataProvider")
public class TracingConfiguration {

    @Bean
    @ConditionalOnBean({Tracer.class, Propagator.class})
    public StoredTraceContext storedTraceContext(Tracer tracer, Propagator propagator) {
        return new StoredTraceContext(tracer, propagator);
    }
}
