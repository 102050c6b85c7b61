package app.tandem.devstack;

import app.tandem.api.v1.EditSafetyPlanSectionRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.SafetyPlanSection;
import app.tandem.api.v1.Visibility;
import app.tandem.journal.JournalApplication;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.platform.grpc.RawBytes;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.mongodb.client.MongoDatabase;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests whose bytes are not what the API says (here, text that is not UTF-8) are refused as INVALID_ARGUMENT naming
 * the field, by the gateway and by the service itself, and nothing is stored; one larger than any the API takes is
 * refused as RESOURCE_EXHAUSTED before it is read.
 */
@ExtendWith(EmbeddedTandem.class)
class MalformedRequestTest {

    /** Bytes that are not UTF-8: a lead byte followed by a character that cannot continue it, then a byte never used. */
    private static final byte[] NOT_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xFF};

    private static TandemUnderTest tandem;
    private static GatewayClient alex;
    private static String coupleId;

    @BeforeAll
    static void start() {
        tandem = EmbeddedTandem.get();
        alex = tandem.person("alex");
        GatewayClient sam = tandem.person("sam");
        var created = alex.createCouple();
        sam.join(created.getInviteCode());
        coupleId = created.getCoupleId();
    }

    /** A well-formed message with one more string field appended as raw bytes. */
    private static byte[] withRawString(byte[] message, int fieldNumber, byte[] value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(message);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeBytes(fieldNumber, ByteString.copyFrom(value));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StatusRuntimeException refusal(Channel channel, MethodDescriptor<?, ?> method, byte[] request, CallCredentials credentials) {
        MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
        try {
            ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withCallCredentials(credentials)
                    .withDeadlineAfter(20, TimeUnit.SECONDS), request);
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the malformed request was taken");
    }

    private static long storedEvents() {
        return tandem.services.get(JournalApplication.NAME).bean(MongoDatabase.class)
                .getCollection(MongoEventStorageEngine.EVENTS).countDocuments();
    }

    private static byte[] checkInWithABrokenNote() {
        byte[] good = RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId).setMood(3)
                .setCravingIntensity(2).setVisibility(Visibility.SHARED_WITH_PARTNER).build().toByteArray();
        return withRawString(good, RecordCheckInRequest.NOTE_FIELD_NUMBER, NOT_UTF8);
    }

    @Test
    void aNoteThatIsNotUtf8IsRefusedByTheGatewayNamingTheField() {
        long before = storedEvents();
        StatusRuntimeException refused = refusal(tandem.gateway, JournalServiceGrpc.getRecordCheckInMethod(), checkInWithABrokenNote(),
                alex.credentials());
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(FieldViolations.fieldsOf(refused)).containsExactly("note");
        assertThat(storedEvents()).isEqualTo(before);
        assertThat(alex.timeline(coupleId).getEntriesList()).isEmpty();
    }

    @Test
    void theServiceItselfRefusesItTooNamingTheField() {
        long before = storedEvents();
        var journal = tandem.services.get(JournalApplication.NAME);
        StatusRuntimeException refused = refusal(journal.channel(), JournalServiceGrpc.getRecordCheckInMethod(), checkInWithABrokenNote(),
                journal.asPartner(alex.personId));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(FieldViolations.fieldsOf(refused)).containsExactly("note");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void aNestedFieldIsNamedByItsPath() {
        byte[] section = withRawString(SafetyPlanSection.newBuilder().addCopingStrategies("a walk").build().toByteArray(),
                SafetyPlanSection.WARNING_SIGNS_FIELD_NUMBER, NOT_UTF8);
        byte[] request = withRawString(EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId)
                .build().toByteArray(), EditSafetyPlanSectionRequest.SECTION_FIELD_NUMBER, section);
        StatusRuntimeException refused = refusal(tandem.gateway, PlansServiceGrpc.getEditSafetyPlanSectionMethod(), request, alex.credentials());
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(FieldViolations.fieldsOf(refused)).containsExactly("section.warning_signs");
    }

    /** Every list of a section full of empty items: hundreds of offending fields, more than a client's trailers hold. */
    @Test
    void aRequestWithHundredsOfOffendingFieldsIsRefusedNamingTheFirstOfThem() {
        SafetyPlanSection.Builder section = SafetyPlanSection.newBuilder();
        for (int i = 0; i < 100; i++) {
            section.addWarningSigns("").addTriggers("").addCopingStrategies("").addDistractionPlaces("").addSaferEnvironment("")
                    .addReasonsForRecovery("");
        }
        byte[] request = EditSafetyPlanSectionRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId)
                .setSection(section).build().toByteArray();
        StatusRuntimeException refused = refusal(tandem.gateway, PlansServiceGrpc.getEditSafetyPlanSectionMethod(), request, alex.credentials());
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(FieldViolations.fieldsOf(refused)).isNotEmpty().allMatch(field -> field.startsWith("section."));
        assertThat(refused.getStatus().getDescription()).containsPattern("; and \\d+ more$");
    }

    @Test
    void aMessageCutShortIsRefusedAsAWhole() {
        byte[] whole = RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId).setNote("a long enough note")
                .build().toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 4);
        StatusRuntimeException refused = refusal(tandem.gateway, JournalServiceGrpc.getRecordCheckInMethod(), cut, alex.credentials());
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(FieldViolations.fieldsOf(refused)).isEqualTo(List.of("request"));
    }

    /** A well-formed check-in carrying 100 KB more in a field the API does not define, which a parser would skip. */
    private static byte[] oversizedCheckIn() {
        byte[] good = RecordCheckInRequest.newBuilder().setIdempotencyKey(GatewayClient.key()).setCoupleId(coupleId).setMood(3)
                .setCravingIntensity(2).setVisibility(Visibility.SHARED_WITH_PARTNER).build().toByteArray();
        return withRawString(good, 1000, new byte[100 * 1024]);
    }

    @Test
    void aRequestLargerThanAnyTheApiTakesIsRefusedBeforeItIsReadByTheGatewayAndTheService() {
        long before = storedEvents();
        StatusRuntimeException atTheEdge = refusal(tandem.gateway, JournalServiceGrpc.getRecordCheckInMethod(), oversizedCheckIn(),
                alex.credentials());
        assertThat(atTheEdge.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        var journal = tandem.services.get(JournalApplication.NAME);
        StatusRuntimeException atTheService = refusal(journal.channel(), JournalServiceGrpc.getRecordCheckInMethod(), oversizedCheckIn(),
                journal.asPartner(alex.personId));
        assertThat(atTheService.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(storedEvents()).isEqualTo(before);
    }
}
