package app.tandem.devstack;

import app.tandem.api.v1.AuditRecord;
import app.tandem.api.v1.DeadLetter;
import app.tandem.api.v1.DeadLetterRequest;
import app.tandem.api.v1.ExportEventsRequest;
import app.tandem.api.v1.Period;
import app.tandem.api.v1.ListDeadLettersRequest;
import app.tandem.api.v1.ListAuditLogRequest;
import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.ProcessorStatus;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.api.v1.SegmentStatus;
import app.tandem.api.v1.Role;
import app.tandem.journal.JournalApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.platform.grpc.FieldViolations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Operators through the gateway: each service's processors, a replay, and the audit log of every call they made. */
@ExtendWith(EmbeddedTandem.class)
class OperatorApiTest {

    private static GatewayClient olive;
    private static OperatorServiceGrpc.OperatorServiceBlockingStub operators;

    @BeforeAll
    static void start() {
        TandemUnderTest tandem = EmbeddedTandem.get();
        olive = tandem.withRoles("olive", Set.of(Role.ROLE_OPERATOR), "");
        operators = OperatorServiceGrpc.newBlockingStub(tandem.gateway).withCallCredentials(olive.credentials());
    }

    private static OperatorServiceGrpc.OperatorServiceBlockingStub operators() {
        return operators.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void anOperatorSeesEachServicesProcessorsAndReplaysOne() {
        List<ProcessorStatus> journal = operators().listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build())
                .getProcessorsList();
        assertThat(journal).extracting(ProcessorStatus::getName).contains("timeline", "progress-view", "integration-publisher");
        // whichever replica answers, the publisher is listed where it stands, by the one publishing or its stored token
        EmbeddedTandem.get().person("pat").createCouple();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(operators().listProcessors(ListProcessorsRequest.newBuilder()
                        .setService(JournalApplication.NAME).build()).getProcessorsList()).filteredOn(p -> p.getName().equals("integration-publisher"))
                .flatExtracting(ProcessorStatus::getSegmentsList).isNotEmpty()
                .allSatisfy(segment -> assertThat(((SegmentStatus) segment).getPosition()).isPositive()));
        for (int call = 0; call < 4; call++) {
            assertThat(operators().listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build())
                    .getProcessorsList()).filteredOn(p -> p.getName().equals("integration-publisher")).singleElement()
                    .satisfies(publisher -> assertThat(publisher.getSegmentsList()).singleElement()
                            .satisfies(segment -> assertThat(segment.getPosition()).isPositive()));
        }
        assertThat(operators().listProcessors(ListProcessorsRequest.newBuilder().setService(PlansApplication.NAME).build()).getProcessorsList())
                .extracting(ProcessorStatus::getName).contains("relapse-task-lists");

        long until = operators().resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName("progress-view")
                .setIdempotencyKey(UUID.randomUUID().toString()).build()).getReplayUntilPosition();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(operators()
                .listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build()).getProcessorsList())
                .filteredOn(p -> p.getName().equals("progress-view")).singleElement()
                .satisfies(p -> assertThat(p.getSegments(0).getPosition()).isGreaterThanOrEqualTo(until)));
    }

    @Test
    void everyOperatorCallIsInTheServicesAuditLogWithItsOutcome() {
        GatewayClient oscar = EmbeddedTandem.get().withRoles("oscar", Set.of(Role.ROLE_OPERATOR), "");
        var oscars = OperatorServiceGrpc.newBlockingStub(EmbeddedTandem.get().gateway).withCallCredentials(oscar.credentials())
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        oscars.listProcessors(ListProcessorsRequest.newBuilder().setService(PlansApplication.NAME).build());
        assertThatThrownBy(() -> oscars.resetProcessor(ResetProcessorRequest.newBuilder().setService(PlansApplication.NAME)
                .setName("integration-publisher").setIdempotencyKey("reset-1").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));

        List<AuditRecord> log = oscars.listAuditLog(ListAuditLogRequest.newBuilder().setService(PlansApplication.NAME).setPageSize(100)
                .build()).getRecordsList();
        assertThat(log).filteredOn(r -> r.getOperatorPersonId().equals(oscar.personId))
                .extracting(AuditRecord::getAction, AuditRecord::getTarget, AuditRecord::getOutcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ListAuditLog", "page_size: 100", ""),
                        org.assertj.core.groups.Tuple.tuple("ResetProcessor", "name: \"integration-publisher\" idempotency_key: \"reset-1\"", "FAILED_PRECONDITION"),
                        org.assertj.core.groups.Tuple.tuple("ListProcessors", "", "OK"));
        assertThat(log.get(1).getRequestId()).isNotBlank();
        assertThat(log.get(1).hasStartedAt() && log.get(1).hasFinishedAt()).isTrue();
    }

    @Test
    void theAuditLogIsReadPageByPage() {
        for (int i = 0; i < 3; i++) {
            operators().listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build());
        }
        var first = operators().listAuditLog(ListAuditLogRequest.newBuilder().setService(JournalApplication.NAME).setPageSize(2).build());
        assertThat(first.getRecordsList()).hasSize(2);
        var second = operators().listAuditLog(ListAuditLogRequest.newBuilder().setService(JournalApplication.NAME).setPageSize(2)
                .setPageToken(first.getNextPageToken()).build());
        assertThat(second.getRecordsList()).hasSize(2).extracting(AuditRecord::getRequestId)
                .doesNotContainAnyElementsOf(first.getRecordsList().stream().map(AuditRecord::getRequestId).toList());
        assertThat(second.getRecords(0).getStartedAt().getSeconds()).isLessThanOrEqualTo(first.getRecords(1).getStartedAt().getSeconds());
    }

    @Test
    void aCallForAServiceTheGatewayDoesNotKnowNamesTheField() {
        assertThatThrownBy(() -> operators().listProcessors(ListProcessorsRequest.newBuilder().setService("billing-service").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(FieldViolations.fieldsOf(e)).containsExactly("service");
                });
    }

    @Test
    void anExportThatNamesNothingOrNoTimeBetweenItsEndsIsRefusedNamingTheField() {
        com.google.protobuf.Timestamp now = app.tandem.platform.grpc.Timestamps.of(java.time.Instant.now());
        com.google.protobuf.Timestamp earlier = app.tandem.platform.grpc.Timestamps.of(java.time.Instant.now().minusSeconds(60));
        java.util.Map<ExportEventsRequest, String> refused = java.util.Map.of(
                ExportEventsRequest.newBuilder().setService(JournalApplication.NAME).build(), "couple_id",
                ExportEventsRequest.newBuilder().setService(JournalApplication.NAME).setCoupleId("").build(), "couple_id",
                ExportEventsRequest.newBuilder().setService(JournalApplication.NAME)
                        .setPeriod(Period.newBuilder().setFrom(now).setTo(earlier)).build(), "period.to",
                ExportEventsRequest.newBuilder().setService(JournalApplication.NAME).setPeriod(Period.newBuilder().setTo(now)).build(), "period.from");
        refused.forEach((request, field) -> assertThatThrownBy(() -> operators().exportEvents(request).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(FieldViolations.fieldsOf(e)).containsExactly(field);
                }));
        // a service that stores no events has none to export
        assertThat(operators().exportEvents(ExportEventsRequest.newBuilder().setService("notifications-service")
                .setPeriod(Period.newBuilder().setFrom(earlier).setTo(now)).build()).hasNext()).isFalse();
    }

    /** A record no service can read is set aside by each that reads its topic; an operator sees it, retries it in vain, discards it. */
    @Test
    void aRecordNoServiceCanReadBecomesADeadLetterOperatorsSeeRetryAndDiscard() throws Exception {
        String key = "poison-" + java.util.UUID.randomUUID();
        try (var producer = app.tandem.platform.kafka.IntegrationEventProducer.create(
                app.tandem.testkit.EmbeddedStack.shared().kafkaBootstrapServers())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("tandem.journal.v1", key,
                    "not an envelope".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
        }
        DeadLetter letter = await().atMost(Duration.ofSeconds(30)).until(() -> operators().listDeadLetters(ListDeadLettersRequest.newBuilder()
                        .setService(PlansApplication.NAME).setPageSize(100).build()).getDeadLettersList().stream()
                        .filter(l -> l.getTopic().equals("tandem.journal.v1") && l.getState() == DeadLetter.State.WAITING).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(letter.getKind()).isEqualTo(DeadLetter.Kind.CONSUMED);
        assertThat(letter.getError()).endsWith("UnreadableRecord");

        assertThatThrownBy(() -> operators().retryDeadLetter(DeadLetterRequest.newBuilder().setService(PlansApplication.NAME)
                .setDeadLetterId(letter.getDeadLetterId()).build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        DeadLetter discarded = operators().discardDeadLetter(DeadLetterRequest.newBuilder().setService(PlansApplication.NAME)
                .setDeadLetterId(letter.getDeadLetterId()).build());
        assertThat(discarded.getState()).isEqualTo(DeadLetter.State.DISCARDED);
        assertThat(discarded.getRetries()).isEqualTo(1);
    }
}
