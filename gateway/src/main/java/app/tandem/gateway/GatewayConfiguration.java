package app.tandem.gateway;

import app.tandem.gateway.auth.Authentication;
import app.tandem.gateway.forwarding.Forwarding;
import app.tandem.gateway.limits.RateLimits;
import app.tandem.platform.TandemProperties;
import app.tandem.platform.grpc.PublicApi;
import app.tandem.platform.security.CallerAssertions;
import app.tandem.platform.security.JwtVerifier;
import app.tandem.gateway.tracing.EdgeObservation;
import app.tandem.gateway.tracing.RequestIdInLogs;
import app.tandem.gateway.web.WebEdge;
import app.tandem.gateway.web.WebRoute;
import io.grpc.ServerServiceDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceSpec;
import org.springframework.util.unit.DataSize;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import io.grpc.ManagedChannel;
import app.tandem.platform.grpc.ReplicaTargets;
import io.grpc.BindableService;
import io.grpc.ServiceDescriptor;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
@Import(GatewayConfiguration.ForwardedApis.class)
public class GatewayConfiguration {

    @Bean
    JwtVerifier jwtVerifier(GatewayProperties properties) {
        GatewayProperties.Auth auth = properties.auth();
        return new JwtVerifier(new JwtVerifier.Settings(auth.jwksUri(), auth.issuer(), auth.audience(), auth.maxTokenAge(),
                auth.allowLocalJwks()));
    }

    /**
     * One channel per service, its calls spread round robin over the service's replicas. Its callbacks only hand bytes on to the client's call, which queues them, so they run on
     * the channel's own thread instead of being passed to a pool thread first.
     */
    @Bean(destroyMethod = "destroy")
    ServiceChannels serviceChannels(GatewayProperties properties, ObjectProvider<ObservationRegistry> observations) {
        Map<String, ManagedChannel> channels = new LinkedHashMap<>();
        // each forwarded call a client span, its trace context in the call's headers for the service's span
        ClientInterceptor traced = new ObservationGrpcClientInterceptor(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
        properties.gateway().targets().forEach((service, target) ->
                channels.put(service, ReplicaTargets.channelTo(String.join(",", target)).usePlaintext().directExecutor().intercept(traced).build()));
        return new ServiceChannels(channels);
    }

    @Bean
    Forwarding forwarding(ServiceChannels channels, CallerAssertions assertions, JwtVerifier verifier, GatewayProperties properties) {
        GatewayProperties.Gateway gateway = properties.gateway();
        return new Forwarding(new LinkedHashMap<>(channels.byService()), assertions, gateway.unaryDeadline(), gateway.streamDeadline(),
                new Authentication(verifier, properties.auth().personIds()), new RequestIdInLogs(), new RateLimits(gateway.limits()));
    }

    /**
     * The port for browsers, when {@code tandem.gateway.web-port} is set: each forwarded API exactly as Spring gRPC
     * configures it for the gRPC port (the global interceptors, the refusal of malformed requests, the forwarding's
     * own edge), so authentication, roles and limits are the same and shared per person.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("tandem.gateway.web-port")
    WebEdge webEdge(Forwarding forwarding, GrpcServiceConfigurer configurer, GrpcServerFactory factory, ObjectProvider<WebRoute> routes,
                    GatewayProperties properties, TandemProperties tandem, @Value("${spring.grpc.server.address}") String address,
                    @Value("${spring.grpc.server.inbound.message.max-size}") DataSize maxRequestSize) {
        List<ServerServiceDefinition> services = PublicApi.services().stream()
                .map(api -> configurer.configure(new GrpcServiceSpec(forwarding.forwarded(api.getName()), null), factory))
                .toList();
        return new WebEdge(address, properties.gateway().webPort(), services, (int) maxRequestSize.toBytes(),
                tandem.connections().maxConcurrentCalls(), routes.orderedStream().toList());
    }

    /** In place of Spring gRPC's server observation: the same span, from no trace a client sent. */
    @Bean
    @GlobalServerInterceptor
    @Order(0)
    ObservationGrpcServerInterceptor edgeObservation(ObjectProvider<ObservationRegistry> observations, ObjectProvider<Propagator> propagator) {
        return new EdgeObservation(observations.getIfAvailable(() -> ObservationRegistry.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    /**
     * Every public API as a service of the gateway's server, forwarded behind authentication; health and reflection stay
     * open beside them. Registered while the configuration is read, so the gRPC server knows it has services to serve.
     */
    static final class ForwardedApis implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            for (ServiceDescriptor api : PublicApi.services()) {
                RootBeanDefinition definition = new RootBeanDefinition();
                definition.setFactoryBeanName("forwarding");
                definition.setFactoryMethodName("forwarded");
                definition.getConstructorArgumentValues().addGenericArgumentValue(api.getName());
                definition.setTargetType(BindableService.class);
                registry.registerBeanDefinition("forwarded " + api.getName(), definition);
            }
        }
    }

    record ServiceChannels(Map<String, ManagedChannel> channels) implements DisposableBean {
        Map<String, Channel> byService() {
            return Map.copyOf(channels);
        }

        @Override
        public void destroy() {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
    }
}
