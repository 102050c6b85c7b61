package app.tandem.devstack;

import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.Visibility;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** One trace follows a shared check-in from the phone's call through Kafka to the partner's prompt. */
@ExtendWith(EmbeddedTandem.class)
class TracingEndToEndTest {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    @AfterEach
    void stopRecording() {
        RecordedSpans.stop();
    }

    @Test
    void aSharedCheckInIsOneTraceFromTheGatewayThroughJournalAndKafkaToNotifications() throws InterruptedException {
        TandemUnderTest tandem = EmbeddedTandem.get();
        GatewayClient alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        CreateCoupleResponse couple = alex.createCouple();
        sam.join(couple.getInviteCode());
        String entry;
        try (NotificationWatch samsStream = sam.watch("")) {
            RecordedSpans.start();
            entry = alex.checkIn(couple.getCoupleId(), Visibility.SHARED_WITH_PARTNER, "a quiet evening");
            Notification prompt;
            do {
                prompt = samsStream.next(Duration.ofSeconds(20));
            } while (prompt != null && prompt.getKind() != NotificationKind.PARTNER_CHECKED_IN);
            assertThat(prompt).as("the partner's prompt").isNotNull();
        }

        SpanData call = await(spans -> spans.stream().filter(span -> service(span).equals("gateway") && span.getKind() == SpanKind.SERVER
                && span.getName().endsWith("JournalService/RecordCheckIn")).findFirst());
        String traceId = call.getTraceId();
        List<SpanData> trace = await(spans -> {
            List<SpanData> ofCall = spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
            return ofCall.stream().anyMatch(span -> service(span).equals("notifications-service") && span.getKind() == SpanKind.CONSUMER)
                    ? Optional.of(ofCall) : Optional.empty();
        });

        String described = trace.stream().map(span -> service(span) + " " + span.getKind() + " " + span.getName() + " " + span.getAttributes())
                .collect(Collectors.joining("\n"));
        assertThat(trace).as(described)
                .anyMatch(span("gateway", SpanKind.CLIENT, "JournalService/RecordCheckIn"))
                .anyMatch(span("journal-service", SpanKind.SERVER, "JournalService/RecordCheckIn"))
                .anyMatch(span("journal-service", SpanKind.CONSUMER, "publish"))
                .anyMatch(span("journal-service", SpanKind.PRODUCER, "tandem.journal.v1"))
                .anyMatch(span("notifications-service", SpanKind.CONSUMER, "tandem.journal.v1"));
        // spans say what ran, never whom it was for nor what they wrote
        assertThat(trace).allSatisfy(span -> assertThat(span.getAttributes().asMap().values().toString() + span.getName())
                .doesNotContain(alex.personId).doesNotContain(sam.personId).doesNotContain(couple.getCoupleId())
                .doesNotContain(entry).doesNotContain("quiet evening"));
    }

    @Test
    void theGatewayStartsTheTraceWhateverTraceAClientSends() throws InterruptedException {
        GatewayClient alex = EmbeddedTandem.get().person("alex");
        String clientsTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), "00-" + clientsTrace + "-00f067aa0ba902b7-01");
        RecordedSpans.start();
        alex.couples().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).build());

        SpanData call = await(spans -> spans.stream().filter(span("gateway", SpanKind.SERVER, "CoupleService/CreateCouple")).findFirst());
        assertThat(call.getTraceId()).isNotEqualTo(clientsTrace);
        assertThat(call.getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(call.getAttributes().asMap().keySet()).as("no client's address").noneMatch(key -> key.getKey().startsWith("net.peer"));
    }

    private static Predicate<SpanData> span(String service, SpanKind kind, String name) {
        return span -> service(span).equals(service) && span.getKind() == kind && span.getName().contains(name);
    }

    private static String service(SpanData span) {
        return String.valueOf(span.getResource().getAttribute(SERVICE_NAME));
    }

    /** What {@code found} finds in the recorded spans, once it finds it (spans end after the answers that close them). */
    private static <T> T await(java.util.function.Function<List<SpanData>, Optional<T>> found) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            Optional<T> result = found.apply(RecordedSpans.finished());
            if (result.isPresent()) {
                return result.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not among the recorded spans:\n" + RecordedSpans.finished().stream()
                        .map(span -> service(span) + " " + span.getKind() + " " + span.getName() + " " + span.getTraceId())
                        .collect(Collectors.joining("\n")));
            }
            Thread.sleep(50);
        }
    }
}
