package app.tandem.devstack;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.List;
import java.util.Map;

/**
 * The spans that every service of the shared in-process Tandem ends, kept in memory while a test records: one span
 * processor in every service's context, each trace sampled. Outside a recording nothing is kept, so the other tests'
 * calls fill no memory.
 */
final class RecordedSpans implements SpanProcessor {

    private static final RecordedSpans SHARED = new RecordedSpans();

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private volatile boolean recording;

    private RecordedSpans() {
    }

    /** For each service's context before it starts: this processor, and every trace sampled. */
    static void addTo(ConfigurableApplicationContext context) {
        context.getBeanFactory().registerSingleton("recordedSpans", SHARED);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("recorded spans",
                Map.of("management.tracing.sampling.probability", "1.0")));
    }

    /** Forgets what was recorded and records from now on. */
    static void start() {
        SHARED.exporter.reset();
        SHARED.recording = true;
    }

    static void stop() {
        SHARED.recording = false;
        SHARED.exporter.reset();
    }

    static List<SpanData> finished() {
        return SHARED.exporter.getFinishedSpanItems();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (recording) {
            exporter.export(List.of(span.toSpanData()));
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }
}
