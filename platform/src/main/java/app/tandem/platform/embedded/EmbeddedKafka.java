package app.tandem.platform.embedded;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.Map;

/** A real Kafka broker in KRaft mode, in this process, from the Kafka jars. */
public final class EmbeddedKafka implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker broker;

    private EmbeddedKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /** @param port the listener port, or 0 for any free one */
    public static EmbeddedKafka start(int port, int partitions) {
        quietBrokerLogs();
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
        broker.brokerProperties(Map.of(
                // a single broker: every internal topic has one replica
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        if (port > 0) {
            broker.kafkaPorts(port);
        }
        broker.afterPropertiesSet();
        return new EmbeddedKafka(broker);
    }

    /** The broker logs every partition and election at INFO; the platform's own logs are what matter. */
    private static void quietBrokerLogs() {
        for (String name : new String[]{"org.apache.kafka", "kafka", "org.apache.zookeeper", "state.change.logger"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
