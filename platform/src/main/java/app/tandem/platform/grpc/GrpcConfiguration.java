package app.tandem.platform.grpc;

import app.tandem.platform.TandemProperties;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.service.DefaultGrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;
import org.springframework.grpc.server.service.GrpcServiceSpec;

@AutoConfiguration(beforeName = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration")
@EnableConfigurationProperties(TandemProperties.class)
public class GrpcConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GrpcErrorMapping grpcErrorMapping() {
        return new GrpcErrorMapping();
    }

    @Bean
    public BoundGrpcPort boundGrpcPort() {
        return new BoundGrpcPort();
    }

    /** Spring gRPC's own configuration of each service (its interceptors), with requests that do not parse refused. */
    @Bean
    public GrpcServiceConfigurer grpcServiceConfigurer(ApplicationContext context) {
        return new MalformedRequestsRefused(new DefaultGrpcServiceConfigurer(context));
    }

    /** Limits on one client connection that Spring gRPC has no setting for; see {@link TandemProperties.Connections}. */
    @Bean
    public ServerBuilderCustomizer<NettyServerBuilder> connectionLimits(TandemProperties properties) {
        TandemProperties.Connections limits = properties.connections();
        return builder -> builder.maxConcurrentCallsPerConnection(limits.maxConcurrentCalls())
                .maxRstFramesPerWindow(limits.maxResets(), (int) limits.resetWindow().toSeconds());
    }

    /** The older reflection protocol next to Spring's v1: many tools (grpcurl among them) still speak only v1alpha. */
    @Bean
    @ConditionalOnBooleanProperty("spring.grpc.server.reflection.enabled")
    @SuppressWarnings("deprecation")
    public BindableService reflectionV1alpha() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    static final class MalformedRequestsRefused implements GrpcServiceConfigurer, InitializingBean {
        private final DefaultGrpcServiceConfigurer defaults;

        MalformedRequestsRefused(DefaultGrpcServiceConfigurer defaults) {
            this.defaults = defaults;
        }

        @Override
        public void afterPropertiesSet() {
            defaults.afterPropertiesSet();
        }

        @Override
        public ServerServiceDefinition configure(GrpcServiceSpec spec, GrpcServerFactory factory) {
            return MalformedRequests.answeredAsInvalid(defaults.configure(spec, factory));
        }
    }
}
