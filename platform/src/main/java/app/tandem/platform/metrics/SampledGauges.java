package app.tandem.platform.metrics;

import app.tandem.platform.logging.Redacted;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Gauges whose values cost a database read (a count, the store's head): {@link #sample()} reads them all on one
 * thread every few seconds, and a scrape only reads the values kept, so scrapes, however frequent, add no load.
 * A gauge not yet read, or whose last read failed, shows NaN rather than a stale number.
 */
public final class SampledGauges {

    private static final Logger log = LoggerFactory.getLogger(SampledGauges.class);

    private final MeterRegistry registry;
    private final List<Runnable> samplers = new CopyOnWriteArrayList<>();

    public SampledGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One gauge, its value what {@code sample} answers at each sampling. */
    public void gauge(String name, String description, Tags tags, Supplier<? extends Number> sample) {
        Value value = new Value();
        Gauge.builder(name, value, Value::get).description(description).tags(tags).register(registry);
        samplers.add(guarded(name, () -> value.set(sample.get()), () -> value.set(null)));
    }

    /** A family of gauges, one per set of tags {@code sample} answers; sets it no longer answers disappear. */
    public void gauges(String name, String description, Supplier<Map<Tags, ? extends Number>> sample) {
        MultiGauge family = MultiGauge.builder(name).description(description).register(registry);
        samplers.add(guarded(name, () -> family.register(sample.get().entrySet().stream()
                .<MultiGauge.Row<?>>map(row -> MultiGauge.Row.of(row.getKey(), row.getValue())).toList(), true),
                () -> family.register(List.of(), true)));
    }

    private static Runnable guarded(String name, Runnable read, Runnable unknown) {
        return () -> {
            try {
                read.run();
            } catch (RuntimeException e) {
                unknown.run();
                log.warn("could not sample {}", name, Redacted.of(e));
            }
        };
    }

    /** Reads every gauge once; called by the service's sampling thread. */
    public void sample() {
        samplers.forEach(Runnable::run);
    }

    private static final class Value {
        private volatile double value = Double.NaN;

        void set(Number sampled) {
            value = sampled == null ? Double.NaN : sampled.doubleValue();
        }

        double get() {
            return value;
        }
    }
}
