package app.tandem.platform;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared settings bind as Spring Boot binds them at start, with their defaults, and refuse what cannot work. */
class TandemPropertiesTest {

    private static TandemProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("tandem", TandemProperties.class);
    }

    @Test
    void nothingSetGivesTheDefaults() {
        TandemProperties properties = bind(Map.of());
        assertThat(properties.kafka().partitions()).isEqualTo(6);
        assertThat(properties.kafka().replicationFactor()).isEqualTo((short) 3);
        assertThat(properties.kafka().topic()).isNull();
        assertThat(properties.eventStore().gapTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.connections().maxConcurrentCalls()).isEqualTo(10_000);
        assertThat(properties.crypto().masterKey()).isNull();
        assertThatThrownBy(() -> properties.crypto().masterKeyBytes()).hasMessageContaining("tandem.crypto.master-key");
    }

    @Test
    void aSettingThatCannotWorkStopsTheServiceNamingIt() {
        assertThatThrownBy(() -> bind(Map.of("tandem.kafka.min-insync-replicas", "4")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("tandem.kafka.min-insync-replicas");
        assertThatThrownBy(() -> bind(Map.of("tandem.event-store.token-write-interval", "0s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("tandem.event-store.token-write-interval");
        assertThatThrownBy(() -> bind(Map.of("tandem.crypto.master-key", Base64.getEncoder().encodeToString(new byte[16]))))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("32 bytes");
        assertThat(bind(Map.of("tandem.crypto.master-key", Base64.getEncoder().encodeToString(new byte[32]))).crypto()
                .masterKeyBytes()).hasSize(32);
    }
}
