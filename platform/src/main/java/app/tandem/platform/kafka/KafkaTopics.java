package app.tandem.platform.kafka;

import app.tandem.platform.TandemProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service publishes to or reads from, when they do not exist yet, and returns once every
 * partition has a leader: an idempotent producer that writes to a partition still being set up can see its
 * first batch rejected as out of sequence and stall in retries.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    public static void ensure(TandemProperties.Kafka kafka, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, kafka.getPartitions(), kafka.getReplicationFactor())))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
                awaitLeaders(admin, topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.getBootstrapServers() + " did not answer", e);
        }
    }

    private static void awaitLeaders(Admin admin, String topic) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException notYetKnown) {
                // the new topic's metadata has not reached the broker yet
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("partitions of " + topic + " got no leader");
    }
}
