package app.tandem.platform.privacy;

import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.kafka.IntegrationEventProducer;
import com.mongodb.client.MongoDatabase;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.util.Optional;

/** Every service with a database takes part in erasures (before the Kafka bridge, which consumes for its handlers). */
@AutoConfiguration(after = {app.tandem.platform.mongo.MongoConfiguration.class, app.tandem.platform.crypto.CryptoConfiguration.class},
        before = app.tandem.platform.kafka.KafkaBridgeConfiguration.class)
@ConditionalOnClass(Producer.class)
@ConditionalOnBean(MongoDatabase.class)
public class ErasureConfiguration {

    @Bean
    public PersonErasure personErasure(@Value("${tandem.identity.name:${spring.application.name}}") String service,
                                       ObjectProvider<PersonalData> stores, ObjectProvider<PersonalDataCipher> cipher,
                                       KafkaProperties kafka, Clock clock) {
        Producer<String, byte[]> confirmations = IntegrationEventProducer.create(kafka.buildProducerProperties());
        return new PersonErasure(service, stores.orderedStream().toList(), Optional.ofNullable(cipher.getIfAvailable()), confirmations, clock);
    }
}
