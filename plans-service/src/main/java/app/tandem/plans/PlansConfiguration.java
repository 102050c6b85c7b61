package app.tandem.plans;

import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.plans.boundary.BoundaryReviewSchedule;
import app.tandem.plans.relapse.FollowUpSchedule;
import app.tandem.plans.together.WeekTogetherSchedule;
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
@EnableConfigurationProperties(PlansProperties.class)
public class PlansConfiguration {

    @Bean
    Poller followUpTimers(FollowUpSchedule schedule, PlansProperties properties) {
        return new Poller(FollowUpSchedule.PROCESSOR, properties.timers().pollInterval(), schedule::announceDue);
    }

    @Bean
    Poller reviewTimers(BoundaryReviewSchedule schedule, PlansProperties properties) {
        return new Poller(BoundaryReviewSchedule.PROCESSOR, properties.timers().pollInterval(), schedule::announceDue);
    }

    /** Weeks end on the service's own schedule, never with anyone's action. */
    @Bean
    Poller weekTogetherTimers(WeekTogetherSchedule schedule, PlansProperties properties) {
        return new Poller(WeekTogetherSchedule.NAME, properties.timers().weekPollInterval(), schedule::lookBackOnEndedWeeks);
    }

    /** Boundary reports and relapse urgency ask the journal for the facts its events leave out. */
    @Bean(destroyMethod = "close")
    JournalFacts journalFacts(PlansProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        return new JournalFacts(properties.journalTarget(), identity, traced);
    }

    /** The boundary, safety-plan and relapse-task endpoints together answer the public PlansService. */
    @Bean
    BindableService plansService(List<PlansServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(PlansServiceGrpc.getServiceDescriptor(), PlansServiceGrpc::bindService, endpoints);
    }
}
