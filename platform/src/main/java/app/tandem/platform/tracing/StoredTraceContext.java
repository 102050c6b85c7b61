package app.tandem.platform.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * Puts the trace context (W3C {@code traceparent}) into the metadata of every message a
 * handler produces, so a stored event remembers the request that caused it. The integration relay reads it back when
 * it publishes the event, long after the request ended, and the trace goes on across Kafka. A handler with no span of
 * its own (a tracking processor's) passes on the context of the message it handles.
 */
public final class StoredTraceContext implements CorrelationDataProvider {

    private final Tracer tracer;
    private final Propagator propagator;

    public StoredTraceContext(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Map<String, String> context = new HashMap<>();
        Span current = tracer.currentSpan();
        if (current != null) {
            propagator.inject(current.context(), context, Map::put);
            return context;
        }
        MetaData metaData = message.getMetaData();
        for (String field : propagator.fields()) {
            Object value = metaData.get(field);
            if (value != null) {
                context.put(field, value.toString());
            }
        }
        return context;
    }

    /** Reads a stored message's trace context back, for an observation that continues its trace. */
    public static String field(MetaData metaData, String field) {
        Object value = metaData.get(field);
        return value == null ? null : value.toString();
    }
}
