package app.tandem.gateway;

import app.tandem.testkit.LocalIdentities;
import app.tandem.testkit.RunningService;
import app.tandem.testkit.DevTokenIssuer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public port with the certificate and key it is configured with: TLS only, as phones reach it in production. */
class GatewayTlsTest {

    @TempDir
    Path keys;

    @Test
    void theGatewaySpeaksTlsWithItsConfiguredCertificateAndNothingElse() throws Exception {
        DevTokenIssuer issuer = DevTokenIssuer.generate();
        Path jwks = keys.resolve("jwks.json");
        issuer.writeJwks(jwks);
        Map<String, Integer> nowhere = new HashMap<>();
        LocalIdentities.SERVICES.forEach(service -> nowhere.put(service, 1));
        Map<String, Object> settings = new HashMap<>(LocalIdentities.shared().gatewaySettings(jwks, "127.0.0.1", nowhere));
        settings.put("spring.grpc.server.port", 0);
        settings.put("spring.ssl.bundle.pem.gateway.keystore.certificate", "classpath:tls/gateway.crt");
        settings.put("spring.ssl.bundle.pem.gateway.keystore.private-key", "classpath:tls/gateway.key");
        settings.put("spring.grpc.server.ssl.bundle", "gateway");
        File certificate = new File(GatewayTlsTest.class.getResource("/tls/gateway.crt").toURI());

        try (RunningService gateway = RunningService.startStateless(GatewayApplication.NAME, GatewayApplication.class, settings)) {
            ManagedChannel tls = NettyChannelBuilder.forAddress("localhost", gateway.port())
                    .sslContext(GrpcSslContexts.forClient().trustManager(certificate).build()).build();
            ManagedChannel plaintext = ManagedChannelBuilder.forAddress("localhost", gateway.port()).usePlaintext().build();
            try {
                assertThat(HealthGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                assertThatThrownBy(() -> HealthGrpc.newBlockingStub(plaintext).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);
            } finally {
                tls.shutdownNow();
                plaintext.shutdownNow();
            }
        }
    }
}
