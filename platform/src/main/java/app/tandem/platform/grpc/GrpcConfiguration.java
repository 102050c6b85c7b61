package app.tandem.platform.grpc;

import app.tandem.platform.TandemProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
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
}
