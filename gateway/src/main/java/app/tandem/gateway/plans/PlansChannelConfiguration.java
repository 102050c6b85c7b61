package app.tandem.gateway.plans;

import app.tandem.gateway.GatewayProperties;
import app.tandem.internal.v1.PlansInternalGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the gateway finds plans-service. */
@Configuration(proxyBeanMethods = false)
public class PlansChannelConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel plansChannel(GatewayProperties properties) {
        return ManagedChannelBuilder.forTarget(properties.getGateway().getPlansTarget()).usePlaintext().build();
    }

    @Bean
    PlansInternalGrpc.PlansInternalBlockingStub plansInternal(@Qualifier("plansChannel") ManagedChannel plansChannel) {
        return PlansInternalGrpc.newBlockingStub(plansChannel);
    }
}
