package app.tandem.bench;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.platform.axon.TandemSerializers;
import app.tandem.devservers.EmbeddedKafka;
import app.tandem.devservers.EmbeddedMongo;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.kafka.IntegrationEvent;
import app.tandem.platform.kafka.IntegrationEventProducer;
import app.tandem.platform.kafka.IntegrationEventRelay;
import app.tandem.platform.kafka.DeadLetters;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.apache.kafka.clients.producer.Producer;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import app.tandem.platform.eventstore.TailingEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.messaging.MetaData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The event backbone under load, for Tandem's event store and the stock axon-mongo engine on the same
 * Mongo-wire server in one run: append with several writers, replay through a tracking processor, publish
 * to Kafka through the relay, and check that a tracking processor sees every event exactly once while two
 * application contexts write with delayed commits and a skewed clock.
 */
public final class EventBackboneBench {

    private final int events;
    private final int writers;
    private final String backend;
    private final boolean compareWithStock;
    private final EmbeddedMongo mongo;
    private final EmbeddedKafka kafka;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<MongoClient> clients = new ArrayList<>();

    public record Recorded(String aggregate, long step, String note) {
    }

    private EventBackboneBench(int events, int writers, String backend, boolean compareWithStock, Path dataDir) {
        this.events = events;
        this.compareWithStock = compareWithStock;
        this.writers = writers;
        this.backend = backend;
        this.mongo = backend.equals("memory") ? EmbeddedMongo.inMemory() : EmbeddedMongo.onDisk(dataDir.resolve("mongo.mv"), "127.0.0.1", 0);
        this.kafka = EmbeddedKafka.temporary(6);
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Path dataDir = Files.createTempDirectory("tandem-bench");
        EventBackboneBench bench = new EventBackboneBench(
                options.integer("events", 20000),
                options.integer("writers", 8),
                options.text("backend", "disk"),
                Boolean.parseBoolean(options.text("compare-stock", "true")), dataDir);
        try {
            bench.run();
        } finally {
            bench.close();
            TemporaryFolders.delete(dataDir); // the report is what stays; a run's store is gigabytes
        }
        System.exit(0);
    }

    private void run() throws Exception {
        say("Event backbone, %d events, %d writers, Mongo-wire server with the %s backend, on %d cores",
                events, writers, backend, Runtime.getRuntime().availableProcessors());

        // warm both engines up (JIT, connection pools) so neither pays for starting first
        int warmUp = Math.max(1_000, events / 10);
        List<Function<MongoDatabase, EventStorageEngine>> engines = compareWithStock
                ? List.of(this::tandemEngine, this::stockEngine) : List.of(this::tandemEngine);
        for (Function<MongoDatabase, EventStorageEngine> factory : engines) {
            EventStorageEngine engine = factory.apply(database("warm-up-" + UUID.randomUUID(), command -> { }));
            append(engine, warmUp, writers, Instant::now);
            replay(engine, warmUp);
        }

        MongoDatabase tandemDb = database("tandem-engine", command -> { });
        MongoEventStorageEngine tandem = tandemEngine(tandemDb);
        double tandemAppend = append(tandem, events, writers, Instant::now);
        long compactionStart = System.nanoTime();
        tandem.compactSettledPages(); // what the background compactor does within a second of the appends
        double compaction = events / seconds(compactionStart);
        double tandemReplay = replay(tandem, events);
        // the JVM keeps compiling for a while: repeat to see the steady state as well as the first run
        double tandemReplaySteady = Math.max(replay(tandem, events), replay(tandem, events));
        double publication = publish(tandem, events, "bench.first.v1");
        double publicationSteady = publish(tandem, events, "bench.second.v1");

        results.put("append, Tandem engine (events/s)", rate(tandemAppend));
        if (!compareWithStock) {
            results.put("packing settled history into pages, Tandem engine (events/s)", rate(compaction));
            results.put("replay, Tandem engine, first run (events/s)", rate(tandemReplay));
            results.put("replay, Tandem engine, steady state, best of the next two (events/s)", rate(tandemReplaySteady));
            results.put("Kafka publication through the relay, first run (events/s)", rate(publication));
            results.put("Kafka publication through the relay, second run (events/s)", rate(publicationSteady));
            report();
            return;
        }
        MongoDatabase stockDb = database("stock-engine", command -> { });
        EventStorageEngine stock = stockEngine(stockDb);
        double stockAppend = append(stock, events, writers, Instant::now);
        double stockReplay = replay(stock, events);

        results.put("append, stock axon-mongo (events/s)", rate(stockAppend));
        results.put("append ratio", ratio(tandemAppend, stockAppend));
        results.put("packing settled history into pages, Tandem engine (events/s)", rate(compaction));
        results.put("replay, Tandem engine, first run (events/s)", rate(tandemReplay));
        results.put("replay, Tandem engine, steady state, best of the next two (events/s)", rate(tandemReplaySteady));
        results.put("replay, stock axon-mongo, first run (events/s)", rate(stockReplay));
        results.put("replay ratio, first runs", ratio(tandemReplay, stockReplay));
        results.put("Kafka publication through the relay, first run (events/s)", rate(publication));
        results.put("Kafka publication through the relay, second run (events/s)", rate(publicationSteady));

        int concurrent = Math.min(events, 10_000);
        results.put("concurrent writers, Tandem engine", concurrentWriters("tandem", concurrent, this::tandemEngine));
        results.put("concurrent writers, stock axon-mongo", concurrentWriters("stock", concurrent, this::stockEngine));

        report();
    }

    // ---- engines

    private MongoDatabase database(String name, java.util.function.Consumer<CommandStartedEvent> onCommand) {
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.connectionString()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        onCommand.accept(event);
                    }
                })
                .build());
        clients.add(client);
        return client.getDatabase(name);
    }

    private MongoEventStorageEngine tandemEngine(MongoDatabase database) {
        return MongoEventStorageEngine.builder().database(database)
                .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json())
                .batchSize(1000).build();
    }

    private EventStorageEngine stockEngine(MongoDatabase database) {
        org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine engine =
                org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine.builder()
                        .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(database).build())
                        .eventSerializer(TandemSerializers.json()).snapshotSerializer(TandemSerializers.json())
                        .batchSize(1000).build();
        engine.ensureIndexes();
        return engine;
    }

    private static DomainEventMessage<Recorded> event(String aggregate, long sequence, Instant at) {
        return new GenericDomainEventMessage<>("Journal", aggregate, sequence,
                new Recorded(aggregate, sequence, "pdc1:" + "x".repeat(120)), MetaData.emptyInstance(), UUID.randomUUID().toString(), at);
    }

    // ---- measurements

    /** Each writer appends one event per call, as one command does: the slowest way to fill a store. */
    private static double append(EventStorageEngine engine, int total, int writerCount, java.util.function.Supplier<Instant> clock)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writerCount);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writerCount; w++) {
            String writer = "w" + w + "-" + UUID.randomUUID().toString().substring(0, 6);
            int count = total / writerCount;
            done.add(pool.submit(() -> {
                for (int i = 0; i < count; i++) {
                    engine.appendEvents(List.of(event(writer + "-" + (i / 100), i % 100, clock.get())));
                }
            }));
        }
        for (Future<?> writer : done) {
            writer.get();
        }
        pool.shutdown();
        return (total / writerCount) * writerCount / seconds(start);
    }

    public static class Counter {
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

        @EventHandler
        public void on(Object payload, EventMessage<?> event) {
            seen.computeIfAbsent(event.getIdentifier(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static TrackingEventProcessor processor(EventStorageEngine engine, Counter counter) {
        return TrackingEventProcessor.builder()
                .name("bench-" + UUID.randomUUID())
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(counter).build())
                .messageSource(TailingEventStore.builder().storageEngine(engine).build())
                .tokenStore(new InMemoryTokenStore())
                .transactionManager(NoTransactionManager.INSTANCE)
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(1000))
                .build();
    }

    /** A tracking processor from the first event to the last: what rebuilding a read model costs. */
    private static double replay(EventStorageEngine engine, int total) throws InterruptedException {
        Counter counter = new Counter();
        TrackingEventProcessor processor = processor(engine, counter);
        long start = System.nanoTime();
        processor.start();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        while (counter.seen.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        double rate = counter.seen.size() / seconds(start);
        processor.shutDown();
        return rate;
    }

    /** The relay publishing the whole store to Kafka, each record acknowledged by the broker. */
    private double publish(MongoEventStorageEngine engine, int total, String topic) throws InterruptedException {
        EmbeddedKafka.createTopics(kafka.bootstrapServers(), 6, topic);
        Producer<String, byte[]> producer = IntegrationEventProducer.create(kafka.bootstrapServers());
        IntegrationEventRelay relay = new IntegrationEventRelay(TailingEventStore.builder().storageEngine(engine).build(),
                new InMemoryTokenStore(), producer, event -> {
                    String couple = ((DomainEventMessage<?>) event).getAggregateIdentifier();
                    return List.of(new IntegrationEvent(couple, couple, CoupleCreated.newBuilder().setCoupleId(couple).setFounderPersonId(couple).build()));
                }, topic, 1000, new DeadLetters(database("unpublished-" + UUID.randomUUID(), command -> { }), Clock.systemUTC()));
        long start = System.nanoTime();
        relay.start();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        while (relay.publishingAt().orElse(0) < total && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        double rate = total / seconds(start);
        relay.stop();
        producer.close();
        return rate;
    }

    /**
     * Eight writers in two contexts while a tracking processor reads; the second context's inserts are
     * delayed by up to 15 ms and its clock runs 5 s behind.
     */
    private String concurrentWriters(String name, int total, Function<MongoDatabase, EventStorageEngine> engineFactory) throws Exception {
        String databaseName = "concurrent-" + name;
        EventStorageEngine contextA = engineFactory.apply(database(databaseName, command -> { }));
        EventStorageEngine contextB = engineFactory.apply(database(databaseName, command -> {
            if (command.getCommandName().equals("insert")) {
                sleep(ThreadLocalRandom.current().nextInt(0, 15));
            }
        }));
        Counter counter = new Counter();
        TrackingEventProcessor processor = processor(contextA, counter);
        processor.start();
        Set<String> appended = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            boolean skewed = w % 2 == 1;
            EventStorageEngine engine = skewed ? contextB : contextA;
            String writer = name + "-w" + w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < total / 8; i++) {
                    Instant at = skewed ? Instant.now().minusSeconds(5) : Instant.now();
                    DomainEventMessage<Recorded> event = event(writer + "-" + (i / 100), i % 100, at);
                    engine.appendEvents(List.of(event));
                    appended.add(event.getIdentifier());
                }
            }));
        }
        for (Future<?> writer : done) {
            writer.get();
        }
        pool.shutdown();
        long settle = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (counter.seen.size() < appended.size() && System.nanoTime() < settle) {
            Thread.sleep(20);
        }
        Thread.sleep(2_000);
        processor.shutDown();
        long missed = appended.stream().filter(id -> !counter.seen.containsKey(id)).count();
        long doubled = counter.seen.values().stream().filter(c -> c.get() > 1).count();
        return String.format("%d appended, %d handled, %d missed, %d handled more than once",
                appended.size(), counter.seen.size(), missed, doubled);
    }

    // ---- reporting

    private void report() throws IOException {
        StringBuilder report = new StringBuilder();
        report.append("# Event backbone benchmark\n\n");
        report.append(String.format("%s UTC, %d events, %d writers, %s backend, %d cores, Java %s%n%n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0)),
                events, writers, backend, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        report.append("| measure | result |\n|---|---|\n");
        results.forEach((measure, result) -> report.append("| ").append(measure).append(" | ").append(result).append(" |\n"));
        System.out.println();
        System.out.println(report);
        Path reports = Path.of("bench", "reports");
        Files.createDirectories(reports);
        String name = "event-backbone-" + backend + "-" + events + (compareWithStock ? "" : "-tandem-only") + ".md";
        Files.writeString(reports.resolve(name), report.toString());
        say("report written to %s", reports.resolve(name));
    }

    private static String rate(double perSecond) {
        return String.format("%,.0f", perSecond);
    }

    private static String ratio(double ours, double stock) {
        return String.format("%.1fx", ours / stock);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(String format, Object... args) {
        System.out.println("[bench] " + String.format(format, args));
    }

    private void close() {
        clients.forEach(MongoClient::close);
        kafka.close();
        mongo.close();
    }
}
