package app.tandem.plans;

import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.plans.boundary.BoundaryReviewSchedule;
import app.tandem.plans.relapse.FollowUpSchedule;
import app.tandem.platform.grpc.Endpoints;
import app.tandem.platform.time.Poller;
import io.grpc.BindableService;
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

    /** The boundary, safety-plan and relapse-task endpoints together answer the public PlansService. */
    @Bean
    BindableService plansService(List<PlansServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(PlansServiceGrpc.getServiceDescriptor(), PlansServiceGrpc::bindService, endpoints);
    }
}
