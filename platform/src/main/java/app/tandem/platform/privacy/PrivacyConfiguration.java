package app.tandem.platform.privacy;

import app.tandem.api.v1.PrivacyServiceGrpc;
import app.tandem.platform.grpc.GrpcConfiguration;
import app.tandem.platform.grpc.GrpcErrorMapping;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Every service answers a person's export of what it holds about them, from the {@link PersonalData} of its features. */
@AutoConfiguration(after = GrpcConfiguration.class)
public class PrivacyConfiguration {

    /**
     * @param perPerson   exports one person may have under way in one instance: one is all a person needs, and a
     *                    second at once only doubles the reading
     * @param perInstance exports one instance runs at once, each on a thread of its own
     */
    @Bean
    public PrivacyEndpoint privacyEndpoint(@Value("${tandem.identity.name:${spring.application.name}}") String serviceName,
                                           ObjectProvider<PersonalData> features, GrpcErrorMapping errors,
                                           @Value("${tandem.privacy.exports-per-person:1}") int perPerson,
                                           @Value("${tandem.privacy.exports-per-instance:4}") int perInstance) {
        return new PrivacyEndpoint(serviceName, features.orderedStream().toList(), errors, perPerson, perInstance);
    }

    @Bean
    public BindableService privacyService(PrivacyEndpoint endpoint) {
        ServerServiceDefinition definition = PrivacyServiceGrpc.bindService(endpoint);
        return () -> definition;
    }
}
