package app.tandem.journal;

import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.ErasureDeskGrpc;
import app.tandem.api.v1.ErasureServiceGrpc;
import app.tandem.platform.ops.OperatorAudit;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.internal.v1.JournalCheckInFactsGrpc;
import app.tandem.internal.v1.JournalDisclosuresGrpc;
import app.tandem.internal.v1.JournalInternalGrpc;
import app.tandem.internal.v1.JournalLapseFactsGrpc;
import app.tandem.internal.v1.JournalMilestoneFactsGrpc;
import app.tandem.platform.crypto.InviteCodes;
import app.tandem.platform.TandemProperties;
import app.tandem.journal.progress.CoupleMilestoneSchedule;
import app.tandem.platform.grpc.Endpoints;
import app.tandem.platform.time.Poller;
import io.grpc.BindableService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

@Configuration(proxyBeanMethods = false)
public class JournalConfiguration {

    @Bean
    BindableService coupleService(List<CoupleServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(CoupleServiceGrpc.getServiceDescriptor(), CoupleServiceGrpc::bindService, endpoints);
    }

    @Bean
    BindableService journalService(List<JournalServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(JournalServiceGrpc.getServiceDescriptor(), JournalServiceGrpc::bindService, endpoints);
    }

    @Bean
    BindableService journalInternal(List<JournalInternalGrpc.AsyncService> endpoints) {
        return Endpoints.serve(JournalInternalGrpc.getServiceDescriptor(), JournalInternalGrpc::bindService, endpoints);
    }

    @Bean
    BindableService journalDisclosures(List<JournalDisclosuresGrpc.AsyncService> endpoints) {
        return Endpoints.serve(JournalDisclosuresGrpc.getServiceDescriptor(), JournalDisclosuresGrpc::bindService, endpoints);
    }

    @Bean
    BindableService journalCheckInFacts(List<JournalCheckInFactsGrpc.AsyncService> endpoints) {
        return Endpoints.serve(JournalCheckInFactsGrpc.getServiceDescriptor(), JournalCheckInFactsGrpc::bindService, endpoints);
    }

    @Bean
    BindableService journalLapseFacts(List<JournalLapseFactsGrpc.AsyncService> endpoints) {
        return Endpoints.serve(JournalLapseFactsGrpc.getServiceDescriptor(), JournalLapseFactsGrpc::bindService, endpoints);
    }

    @Bean
    BindableService journalMilestoneFacts(List<JournalMilestoneFactsGrpc.AsyncService> endpoints) {
        return Endpoints.serve(JournalMilestoneFactsGrpc.getServiceDescriptor(), JournalMilestoneFactsGrpc::bindService, endpoints);
    }

    @Bean
    BindableService erasureService(List<ErasureServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(ErasureServiceGrpc.getServiceDescriptor(), ErasureServiceGrpc::bindService, endpoints);
    }

    /** Operators' erasures are recorded in the audit log like every other operator call. */
    @Bean
    BindableService erasureDesk(List<ErasureDeskGrpc.AsyncService> endpoints, OperatorAudit audit) {
        ServerServiceDefinition desk = Endpoints.serve(ErasureDeskGrpc.getServiceDescriptor(), ErasureDeskGrpc::bindService, endpoints)
                .bindService();
        ServerServiceDefinition audited = ServerInterceptors.intercept(desk, audit);
        return () -> audited;
    }

    /** Couple milestones are looked at on their daily schedule, never with a check-in. */
    @Bean
    Poller coupleMilestoneTimers(CoupleMilestoneSchedule schedule,
                                 @Value("${tandem.journal.milestone-poll-interval:1m}") Duration interval) {
        return new Poller(CoupleMilestoneSchedule.PROCESSOR, interval, schedule::evaluateDue);
    }

    /** Invite codes are keyed by a secret derived from the master key, never by the key itself. */
    @Bean
    InviteCodes inviteCodes(TandemProperties properties) {
        return new InviteCodes(properties.crypto().derivedKey("tandem invite codes"), "invite");
    }
}
