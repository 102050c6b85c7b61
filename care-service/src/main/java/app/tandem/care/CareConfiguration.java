package app.tandem.care;

import app.tandem.api.v1.CareEvent;
import app.tandem.api.v1.CareServiceGrpc;
import app.tandem.api.v1.ConsentServiceGrpc;
import app.tandem.care.consent.ConsentRegister;
import app.tandem.care.consent.ConsentSchedule;
import app.tandem.care.feed.CareFeed;
import app.tandem.platform.TandemProperties;
import app.tandem.platform.crypto.InviteCodes;
import app.tandem.platform.feed.FeedStreams;
import app.tandem.platform.grpc.Endpoints;
import app.tandem.platform.grpc.JournalFacts;
import app.tandem.platform.security.CallerAssertions;
import app.tandem.platform.time.Poller;
import io.grpc.BindableService;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CareProperties.class)
public class CareConfiguration {

    /** Counselors' lapse and milestone items are read from the journal when they go, as entries are. */
    @Bean(destroyMethod = "close")
    JournalFacts journalFacts(CareProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        return new JournalFacts(properties.journalTarget(), identity, traced);
    }

    @Bean
    BindableService consentService(List<ConsentServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(ConsentServiceGrpc.getServiceDescriptor(), ConsentServiceGrpc::bindService, endpoints);
    }

    @Bean
    BindableService careService(List<CareServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(CareServiceGrpc.getServiceDescriptor(), CareServiceGrpc::bindService, endpoints);
    }

    /** Consent ids derive from a key of their own, so an id tells nothing to someone who knows both people. */
    @Bean
    ConsentRegister.ConsentIdKey consentIdKey(TandemProperties properties) {
        return new ConsentRegister.ConsentIdKey(properties.crypto().derivedKey("tandem consent ids"));
    }

    /** Client invitation codes are keyed by a secret derived from the master key, never by the key itself. */
    @Bean
    InviteCodes clientInvitationCodes(TandemProperties properties) {
        return new InviteCodes(properties.crypto().derivedKey("tandem client invitation codes"), "client-invitation");
    }

    @Bean(destroyMethod = "close")
    FeedStreams<CareEvent> careStreams(CareFeed feed, CareProperties properties) {
        return new FeedStreams<>("care", feed.numbered(), properties.streamsPerCounselor(), properties.streamsPerInstance(),
                properties.streamReaders(), properties.streamGapWait());
    }

    /** Streams learn of items added by other instances of the service. */
    @Bean
    Poller careFeedWakeUps(CareFeed feed, CareProperties properties) {
        return new Poller("care-feed-wake-ups", properties.streamPollInterval(), feed.numbered()::wakeOnAppendsElsewhere);
    }

    @Bean
    Poller consentExpiry(ConsentSchedule schedule, CareProperties properties) {
        return new Poller(ConsentSchedule.NAME, properties.expiryPollInterval(), schedule::runDue);
    }
}
