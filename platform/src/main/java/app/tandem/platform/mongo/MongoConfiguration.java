package app.tandem.platform.mongo;

import app.tandem.platform.TandemProperties;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** One MongoDB client per service, and the service's own database. */
@AutoConfiguration
@ConditionalOnClass(MongoClient.class)
@EnableConfigurationProperties(TandemProperties.class)
public class MongoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public MongoClient mongoClient(TandemProperties properties) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(properties.getMongo().getUri()))
                // nothing is acknowledged before the server has it durably
                .writeConcern(WriteConcern.MAJORITY.withJournal(true))
                .build());
    }

    @Bean
    @ConditionalOnMissingBean
    public MongoDatabase serviceDatabase(MongoClient client, TandemProperties properties,
                                         @Value("${spring.application.name}") String applicationName) {
        String name = properties.getMongo().getDatabase() != null ? properties.getMongo().getDatabase() : applicationName;
        return client.getDatabase(name);
    }
}
