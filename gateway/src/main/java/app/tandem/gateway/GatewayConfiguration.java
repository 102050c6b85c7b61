package app.tandem.gateway;

import app.tandem.gateway.auth.Authentication;
import app.tandem.internal.v1.CouplesInternalGrpc;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.NotificationsInternalGrpc;
import app.tandem.internal.v1.PreferencesInternalGrpc;
import app.tandem.internal.v1.ProgressInternalGrpc;
import app.tandem.platform.security.JwtVerifier;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerInterceptor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfiguration {

    @Bean
    JwtVerifier jwtVerifier(GatewayProperties properties) {
        return new JwtVerifier(properties.getAuth().getJwksUri(), properties.getAuth().getIssuer());
    }

    @Bean
    @GlobalServerInterceptor
    ServerInterceptor authentication(JwtVerifier verifier) {
        return new Authentication(verifier);
    }

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel journalChannel(GatewayProperties properties) {
        return ManagedChannelBuilder.forTarget(properties.getGateway().getJournalTarget()).usePlaintext().build();
    }

    /**
     * Blocking stubs wait on their caller's thread whatever the channel's executor; the one asynchronous call, the
     * notification stream, hands each message straight to the client's stream, which only queues it, so it runs on
     * the channel's own thread instead of being passed to a pool thread first.
     */
    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel notificationsChannel(GatewayProperties properties) {
        return ManagedChannelBuilder.forTarget(properties.getGateway().getNotificationsTarget()).usePlaintext().directExecutor().build();
    }

    @Bean
    CouplesInternalGrpc.CouplesInternalBlockingStub couplesInternal(ManagedChannel journalChannel) {
        return CouplesInternalGrpc.newBlockingStub(journalChannel);
    }

    @Bean
    JournalInternalGrpc.JournalInternalBlockingStub journalInternal(ManagedChannel journalChannel) {
        return JournalInternalGrpc.newBlockingStub(journalChannel);
    }

    @Bean
    ProgressInternalGrpc.ProgressInternalBlockingStub progressInternal(ManagedChannel journalChannel) {
        return ProgressInternalGrpc.newBlockingStub(journalChannel);
    }

    @Bean
    NotificationsInternalGrpc.NotificationsInternalBlockingStub inboxInternal(ManagedChannel notificationsChannel) {
        return NotificationsInternalGrpc.newBlockingStub(notificationsChannel);
    }

    @Bean
    PreferencesInternalGrpc.PreferencesInternalBlockingStub preferencesInternal(ManagedChannel notificationsChannel) {
        return PreferencesInternalGrpc.newBlockingStub(notificationsChannel);
    }

    @Bean
    NotificationsInternalGrpc.NotificationsInternalStub notificationsInternal(ManagedChannel notificationsChannel) {
        return NotificationsInternalGrpc.newStub(notificationsChannel);
    }
}
