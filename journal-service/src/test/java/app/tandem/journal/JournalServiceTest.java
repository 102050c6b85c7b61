package app.tandem.journal;

import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.GetCoupleRequest;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.ListTimelineResponse;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.EventEnvelope;


import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.journal.JournalCalls.Pair;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import app.tandem.platform.grpc.FieldViolations;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static app.tandem.journal.JournalCalls.as;
import static app.tandem.journal.JournalCalls.key;
import static org.awaitility.Awaitility.await;

/** journal-service on the embedded stack, over a real gRPC channel, with a real Kafka consumer watching. */
class JournalServiceTest {

    private static RunningService journal;
    private static JournalCalls calls;
    private static CoupleServiceGrpc.CoupleServiceBlockingStub couples;
    private static JournalServiceGrpc.JournalServiceBlockingStub entries;

    @BeforeAll
    static void start() {
        journal = RunningService.start(JournalApplication.NAME, JournalApplication.class, EmbeddedStack.shared().serviceProperties(JournalApplication.NAME));
        calls = new JournalCalls(journal);
        couples = calls.couples;
        entries = calls.entries;
    }

    @AfterAll
    static void stop() {
        journal.close();
    }

    private static Pair couple() {
        return calls.couple();
    }

    private static String record(Pair pair, String author, Visibility visibility, String note) {
        return calls.record(pair, author, visibility, note);
    }

    private static ListTimelineResponse timeline(Pair pair, String reader) {
        return calls.timeline(pair, reader);
    }

    @Test
    void aRetriedCreateReturnsTheSameCoupleAndInvite() {
        String alex = "alex-" + key();
        CreateCoupleRequest request = CreateCoupleRequest.newBuilder().setIdempotencyKey("same-key").build();
        CreateCoupleResponse first = couples.withCallCredentials(as(alex)).createCouple(request);
        CreateCoupleResponse retry = couples.withCallCredentials(as(alex)).createCouple(request);
        assertThat(retry).isEqualTo(first);
        assertThat(first.getInviteCode()).hasSize(10);
    }

    @Test
    void bothPartnersAreInTheCoupleAndAStrangerIsNot() {
        Pair pair = couple();
        assertThat(couples.withCallCredentials(as(pair.sam())).getCouple(GetCoupleRequest.newBuilder().setCoupleId(pair.coupleId()).build()).getPartnerPersonIdsList())
                .containsExactly(pair.alex(), pair.sam());
        assertThatThrownBy(() -> couples.withCallCredentials(as("stranger")).getCouple(GetCoupleRequest.newBuilder().setCoupleId(pair.coupleId()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void anInviteOpensTheCoupleOnceAndAPartnerCannotStartASecondCouple() {
        String alex = "alex-" + key();
        String code = couples.withCallCredentials(as(alex)).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build()).getInviteCode();
        couples.withCallCredentials(as("sam-" + key())).joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode(code).build());

        assertThatThrownBy(() -> couples.withCallCredentials(as("robin-" + key())).joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode(code).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> couples.withCallCredentials(as(alex)).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(key()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void anUnknownInviteCodeIsNotFoundAndAMalformedOneIsInvalid() {
        assertThatThrownBy(() -> couples.withCallCredentials(as("sam-" + key())).joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode("ZZZZZZZZZZ").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> couples.withCallCredentials(as("sam-" + key())).joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(key()).setInviteCode("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly("invite_code"));
    }

    @Test
    void thePartnerSeesSharedEntriesWithTheirNoteAndNeverPrivateOnes() {
        Pair pair = couple();
        String shared = record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "rough day, but we talked");
        String secret = record(pair, pair.alex(), Visibility.PRIVATE, "only for me");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(timeline(pair, pair.alex()).getEntriesList()).extracting("checkInId").containsExactlyInAnyOrder(shared, secret));
        assertThat(timeline(pair, pair.sam()).getEntriesList()).singleElement().satisfies(entry -> {
            assertThat(entry.getCheckInId()).isEqualTo(shared);
            assertThat(entry.getNote()).isEqualTo("rough day, but we talked");
        });
    }

    @Test
    void onlySharedCheckInsReachKafkaAndWithoutTheirNote() throws InvalidProtocolBufferException {
        Pair pair = couple();
        String shared = record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "note that stays home");
        String secret = record(pair, pair.alex(), Visibility.PRIVATE, "private words");

        List<EventEnvelope> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "journal-test-" + key(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("tandem.journal.v1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(new String(record.value())).doesNotContain("private words").doesNotContain("note that stays home");
                    EventEnvelope envelope = EventEnvelope.parseFrom(record.value());
                    if (envelope.getCoupleId().equals(pair.coupleId())) {
                        assertThat(record.key()).isEqualTo(pair.coupleId());
                        published.add(envelope);
                    }
                }
                return published.stream().anyMatch(e -> e.getEventType().equals("tandem.events.v1.CheckInShared"));
            });
        }
        List<String> sharedIds = new ArrayList<>();
        for (EventEnvelope envelope : published) {
            if (envelope.getPayload().is(CheckInShared.class)) {
                CheckInShared event = envelope.getPayload().unpack(CheckInShared.class);
                sharedIds.add(event.getCheckInId());
                assertThat(event.getPartnerPersonId()).isEqualTo(pair.sam());
            }
        }
        assertThat(sharedIds).containsExactly(shared).doesNotContain(secret);
        assertThat(published).extracting(EventEnvelope::getEventType)
                .startsWith("tandem.events.v1.CoupleCreated", "tandem.events.v1.PartnerJoined");
    }

    @Test
    void anOperatorResetRebuildsTheTimelineAndPublishesNothingAgain() {
        Pair pair = couple();
        String shared = record(pair, pair.alex(), Visibility.SHARED_WITH_PARTNER, "before the reset");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(timeline(pair, pair.sam()).getEntriesList()).extracting("checkInId").containsExactly(shared));
        OperatorServiceGrpc.OperatorServiceBlockingStub operations = JournalCalls.operator(journal);
        long publishedBefore = publishedFor(pair.coupleId());

        long until = operations.resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName("timeline").setIdempotencyKey(key()).build()).getReplayUntilPosition();
        assertThat(until).isPositive();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(operations.listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build()).getProcessorsList())
                    .filteredOn(p -> p.getName().equals("timeline")).singleElement()
                    .satisfies(p -> assertThat(p.getSegments(0).getPosition()).isGreaterThanOrEqualTo(until));
            assertThat(timeline(pair, pair.sam()).getEntriesList()).extracting("note").containsExactly("before the reset");
        });
        assertThat(publishedFor(pair.coupleId())).isEqualTo(publishedBefore);

        assertThatThrownBy(() -> operations.resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName("integration-publisher").setIdempotencyKey(key()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> operations.resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName("no-such").setIdempotencyKey(key()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> operations.resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName("timeline").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly("idempotency_key"));
    }

    private static long publishedFor(String coupleId) {
        return PublishedEvents.recordsKeyed(coupleId).size();
    }

    @Test
    void aRetriedCheckInIsRecordedOnce() {
        Pair pair = couple();
        RecordCheckInRequest request = RecordCheckInRequest.newBuilder()
                .setIdempotencyKey("retry-me").setCoupleId(pair.coupleId()).setMood(2).setCravingIntensity(7).build();
        String first = entries.withCallCredentials(as(pair.alex())).recordCheckIn(request).getCheckInId();
        String second = entries.withCallCredentials(as(pair.alex())).recordCheckIn(request).getCheckInId();
        assertThat(second).isEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(timeline(pair, pair.alex()).getEntriesList()).extracting("checkInId").containsExactly(first));
    }

    @Test
    void aMalformedCheckInNamesTheFieldAndStoresNothing() {
        Pair pair = couple();
        assertThatThrownBy(() -> entries.withCallCredentials(as(pair.alex())).recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(key()).setCoupleId(pair.coupleId())
                        .setMood(9).setCravingIntensity(3).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(FieldViolations.fieldsOf(e)).containsExactly("mood");
                });
        record(pair, pair.alex(), Visibility.PRIVATE, "");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(timeline(pair, pair.alex()).getEntriesList()).hasSize(1));
    }

    @Test
    void aStrangerCannotWriteIntoSomeoneElsesJournal() {
        Pair pair = couple();
        assertThatThrownBy(() -> record(pair, "stranger", Visibility.SHARED_WITH_PARTNER, "hi"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

}
