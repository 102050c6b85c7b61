package app.tandem.platform.grpc;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

@AutoConfiguration
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
