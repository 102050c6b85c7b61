package app.tandem.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Spring Boot's three tracing handlers, each redacting a failure before its span records it. Boot runs its grouped
 * handlers (tracing among them) before any other, so a handler of our own cannot come first; these take the place of
 * Boot's, which step aside for a bean of their type.
 */
@AutoConfiguration(before = MicrometerTracingAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnClass(Tracer.class)
public class RedactedTracingHandlers {

    @Bean
    @ConditionalOnBean(Tracer.class)
    @Order(MicrometerTracingAutoConfiguration.DEFAULT_TRACING_OBSERVATION_HANDLER_ORDER)
    DefaultTracingObservationHandler defaultTracingObservationHandler(Tracer tracer) {
        return new DefaultTracingObservationHandler(tracer) {
            @Override
            public void onError(Observation.Context context) {
                RedactedErrors.redact(context);
                super.onError(context);
            }
        };
    }

    @Bean
    @ConditionalOnBean({Tracer.class, Propagator.class})
    @Order(MicrometerTracingAutoConfiguration.SENDER_TRACING_OBSERVATION_HANDLER_ORDER)
    PropagatingSenderTracingObservationHandler<SenderContext<?>> propagatingSenderTracingObservationHandler(Tracer tracer,
                                                                                                         Propagator propagator) {
        return new PropagatingSenderTracingObservationHandler<>(tracer, propagator) {
            @Override
            public void onError(SenderContext<?> context) {
                RedactedErrors.redact(context);
                super.onError(context);
            }
        };
    }

    @Bean
    @ConditionalOnBean({Tracer.class, Propagator.class})
    @Order(MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER)
    PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> propagatingReceiverTracingObservationHandler(Tracer tracer,
                                                                                                               Propagator propagator) {
        return new PropagatingReceiverTracingObservationHandler<>(tracer, propagator) {
            @Override
            public void onError(ReceiverContext<?> context) {
                RedactedErrors.redact(context);
                super.onError(context);
            }
        };
    }
}
