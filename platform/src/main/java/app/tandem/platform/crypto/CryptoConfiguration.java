package app.tandem.platform.crypto;

import app.tandem.platform.TandemProperties;
import com.mongodb.client.MongoDatabase;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;


@AutoConfiguration(after = app.tandem.platform.mongo.MongoConfiguration.class)
@ConditionalOnClass(MongoDatabase.class)
public class CryptoConfiguration {

    @Bean
    @ConditionalOnProperty("tandem.crypto.master-key")
    public PersonalDataCipher personalDataCipher(MongoDatabase database, TandemProperties properties) {
        return new PersonalDataCipher(database, properties.crypto().masterKeyBytes());
    }
}
