package app.tandem.platform.mongo;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The service's own database, on the client Spring Boot configures from {@code spring.mongodb.*}. */
@AutoConfiguration(after = MongoAutoConfiguration.class)
public class MongoConfiguration {

    /** Nothing is acknowledged before a majority of the replica set has it in its journal. */
    @Bean
    public MongoClientSettingsBuilderCustomizer durableWrites() {
        return settings -> settings.writeConcern(WriteConcern.MAJORITY.withJournal(true));
    }

    /** Each service owns one database, named by {@code spring.mongodb.database} or else the service. */
    @Bean
    @ConditionalOnMissingBean
    public MongoDatabase serviceDatabase(MongoClient client, MongoProperties properties, Environment environment,
                                         @Value("${spring.application.name}") String applicationName) {
        for (String former : new String[]{"tandem.mongo.uri", "tandem.mongo.database"}) {
            if (environment.containsProperty(former)) {
                // silently ignored, it would connect elsewhere, or to an empty database of the service's name
                throw new IllegalStateException(former + " is now " + former.replace("tandem.mongo.", "spring.mongodb.")
                        + "; set that instead");
            }
        }
        return client.getDatabase(properties.getDatabase() != null ? properties.getDatabase() : applicationName);
    }
}
