package app.tandem.platform.kafka;

import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerPausingBackOffHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;

/**
 * Feeds integration events to the service's handlers through a spring-kafka listener container: each consumer thread
 * owns some partitions and handles each in order (a couple's events share a partition), and offsets are committed at
 * most every {@link Settings#commitInterval} after the records before them were handled, so a crash redelivers and
 * handlers deduplicate by event id. A failure that passes by itself (a database out of reach) pauses the consumer that
 * met it and is retried for as long as it takes; any other is retried {@link Settings#attempts} times, and a record no
 * attempt can handle goes at once to {@code <topic>.dlt} with its origin in the headers, and to the service's
 * {@link DeadLetters}; the partition then goes on with the next record.
 */
public class IntegrationEventConsumer implements SmartLifecycle, DisposableBean, MeterBinder {

    public static final String DEAD_LETTER_SUFFIX = ".dlt";
    private static final Logger log = LoggerFactory.getLogger(IntegrationEventConsumer.class);

    /**
     * How the consumer behaves; the defaults are the service's. {@code supervisionInterval}: how often a consumer that
     * should run is checked for threads that stopped on their own.
     */
    public record Settings(int concurrency, int attempts, Duration commitInterval, Duration firstRetry, Duration longestRetry,
                           Duration supervisionInterval) {
        public static Settings of(int concurrency, int attempts) {
            return new Settings(concurrency, attempts, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(30),
                    Duration.ofSeconds(15));
        }
    }

    private final ConcurrentMessageListenerContainer<String, byte[]> container;
    private final IntegrationEventListener listener;
    private final Set<String> topics;
    private final Duration supervisionInterval;
    private final ThreadPoolTaskScheduler resumer = new ThreadPoolTaskScheduler();
    private final DefaultKafkaProducerFactory<String, byte[]> deadLetterProducers;
    private final DefaultKafkaConsumerFactory<String, byte[]> consumers;
    /** Started by the service and not stopped since: what supervision restores. */
    private boolean wanted;
    private ScheduledFuture<?> supervision;

    /**
     * @param clientSettings the Kafka client settings shared by every client (servers, security), from {@code spring.kafka.*}
     * @param instanceId     static group membership: a restarted instance takes its partitions back at once
     */
    public IntegrationEventConsumer(Map<String, Object> clientSettings, Map<String, Object> producerSettings, String groupId,
                                    String instanceId, List<IntegrationEventHandler> handlers, DeadLetters deadLetters, Settings settings) {
        this(clientSettings, producerSettings, groupId, instanceId, handlers, deadLetters, settings, ObservationRegistry.NOOP);
    }

    /** @param observations traces each record's handling as a child of the trace in its headers (W3C {@code traceparent}) */
    public IntegrationEventConsumer(Map<String, Object> clientSettings, Map<String, Object> producerSettings, String groupId,
                                    String instanceId, List<IntegrationEventHandler> handlers, DeadLetters deadLetters, Settings settings,
                                    ObservationRegistry observations) {
        this.topics = topicsOf(handlers);
        this.supervisionInterval = settings.supervisionInterval();
        this.listener = new IntegrationEventListener(handlers);
        Map<String, Object> consumerSettings = new HashMap<>(clientSettings);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerSettings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        // a member that dies without leaving holds its partitions only this long
        consumerSettings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        this.consumers = new DefaultKafkaConsumerFactory<>(consumerSettings, new StringDeserializer(), new ByteArrayDeserializer());

        ContainerProperties properties = new ContainerProperties(topics.toArray(String[]::new));
        // offsets of handled records, at most every commit interval: a commit is a write to the broker's offsets log
        properties.setAckMode(ContainerProperties.AckMode.TIME);
        properties.setAckTime(settings.commitInterval().toMillis());
        properties.setMessageListener(listener);
        properties.setObservationEnabled(true);
        properties.setObservationRegistry(observations);
        this.container = new ConcurrentMessageListenerContainer<>(consumers, properties);
        container.setConcurrency(settings.concurrency());
        container.setBeanName("integration-events-" + groupId);

        this.deadLetterProducers = new DefaultKafkaProducerFactory<>(IntegrationEventProducer.settings(producerSettings),
                new StringSerializer(), new ByteArraySerializer());
        DeadLetterPublishingRecoverer toTopic = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(deadLetterProducers),
                (record, error) -> new TopicPartition(record.topic() + DEAD_LETTER_SUFFIX, -1));
        // the origin and the error's class travel with a dead letter; its message and stack trace could carry personal text
        toTopic.excludeHeader(DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_MSG,
                DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd.EX_STACKTRACE);
        resumer.setThreadNamePrefix("integration-resume-");
        resumer.initialize();
        DefaultErrorHandler errors = new DefaultErrorHandler((record, error) -> {
            @SuppressWarnings("unchecked")
            ConsumerRecord<String, byte[]> failed = (ConsumerRecord<String, byte[]>) record;
            deadLetters.consumed(failed, error);
            toTopic.accept(record, error);
        }, exponential(settings, settings.attempts() - 1), new ContainerPausingBackOffHandler(new ListenerContainerPauseService(null, resumer)));
        BackOff untilItPasses = exponential(settings, Integer.MAX_VALUE);
        errors.setBackOffFunction((record, error) -> Failures.passBySelf(error) ? untilItPasses : null);
        errors.addNotRetryableExceptions(Failures.UnreadableRecord.class, Failures.RejectedEvent.class, DeserializationException.class);
        errors.setCommitRecovered(true);
        container.setCommonErrorHandler(errors);
    }

    /** Retries that double from the first delay up to the longest, {@code retries} of them. */
    static BackOff exponential(Settings settings, int retries) {
        ExponentialBackOff backOff = new ExponentialBackOff(settings.firstRetry().toMillis(), 2.0);
        backOff.setMaxInterval(settings.longestRetry().toMillis());
        backOff.setMaxAttempts(retries);
        return backOff;
    }

    static Set<String> topicsOf(List<IntegrationEventHandler> handlers) {
        Set<String> topics = new TreeSet<>();
        handlers.forEach(h -> topics.addAll(h.topics()));
        return topics;
    }

    /** Hands a set-aside record to the handlers again, now; for an operator's retry. */
    public void redeliver(String topic, byte[] value) {
        if (!topics.contains(topic)) {
            throw new IllegalStateException("this service no longer reads " + topic);
        }
        listener.deliver(topic, value);
    }

    /** Whether every consumer thread runs as it should: one that stopped on its own makes the service unhealthy. */
    public boolean isHealthy() {
        return container.isRunning() && container.isInExpectedState() && container.isChildRunning();
    }

    /** The partitions each consumer thread holds now, by client id. */
    Map<String, Collection<TopicPartition>> assignments() {
        Map<String, Collection<TopicPartition>> assignments = container.getAssignmentsByClientId();
        return assignments == null ? Map.of() : assignments;
    }

    /**
     * The Kafka clients' own metrics (records lag, fetch and commit rates and latencies) for every consumer thread and
     * the dead-letter producer, tagged by client id; bound before the consumers start, as Spring binds meter binders
     * once all beans exist. Beside them, whether the consumer is healthy, for an alert.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tandem.consumer.healthy", this, consumer -> consumer.isHealthy() ? 1 : 0)
                .description("1 while every consumer thread of integration events runs, else 0").register(registry);
        consumers.addListener(new MicrometerConsumerListener<>(registry, resumer));
        deadLetterProducers.addListener(new MicrometerProducerListener<>(registry, resumer));
    }

    @Override
    public synchronized void start() {
        wanted = true;
        container.start();
        if (supervision == null) {
            supervision = resumer.scheduleWithFixedDelay(this::supervise, supervisionInterval);
        }
    }

    /**
     * A consumer thread that stopped on its own (a fatal error of its client) would leave its partitions unread until
     * the service restarts: the consumer is started again instead, and the service's health is down meanwhile.
     */
    synchronized void supervise() {
        if (wanted && !isHealthy()) {
            log.warn("a consumer thread of integration events stopped on its own; starting the consumers again");
            container.stop();
            container.start();
        }
    }

    @Override
    public synchronized void stop() {
        wanted = false;
        container.stop(); // the resumer stays: a container started again pauses and resumes through it
    }

    /** When the service ends: the threads and producers the containers used. */
    @Override
    public synchronized void destroy() {
        wanted = false;
        container.stop();
        resumer.shutdown();
        deadLetterProducers.destroy();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }
}
