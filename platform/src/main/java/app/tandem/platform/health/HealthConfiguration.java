package app.tandem.platform.health;

import app.tandem.platform.ops.ProcessorPositions;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * What a service's health (and so its answer to the standard gRPC health check) depends on besides its Kafka
 * bridge ({@code integrationEvents}): its own database, and event processors that are not failing.
 */
@AutoConfiguration(after = {app.tandem.platform.mongo.MongoConfiguration.class, app.tandem.platform.ops.OperatorConfiguration.class})
public class HealthConfiguration {

    /** Only in a service: the gateway has no database and no events, nor their classes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"com.mongodb.client.MongoDatabase", "org.axonframework.config.EventProcessingConfiguration"})
    static class ServiceHealth {

        /**
         * A ping of the service's own database. Spring Boot's MongoDB indicator (off in the platform's defaults) lists
         * every database of the cluster instead, which a service's user has no right to.
         */
        @Bean
        @ConditionalOnBean(MongoDatabase.class)
        HealthIndicator databaseHealthIndicator(MongoDatabase database) {
            return () -> {
                database.runCommand(new Document("ping", 1));
                return Health.up().build();
            };
        }

        /** A processor in error retries with its back-off and handles nothing meanwhile: its read model falls behind. */
        @Bean
        @ConditionalOnBean(ProcessorPositions.class)
        HealthIndicator eventProcessorsHealthIndicator(ProcessorPositions positions) {
            return () -> {
                List<String> failing = positions.inError();
                return (failing.isEmpty() ? Health.up() : Health.down()).withDetail("inError", failing).build();
            };
        }
    }
}
