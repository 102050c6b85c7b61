package app.tandem.platform.grpc;

import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.InvalidInput.FieldViolation;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcErrorMappingTest {

    /** grpc-java's default for everything a client reads in headers or trailers. */
    private static final int CLIENTS_METADATA_LIMIT = 8 * 1024;

    private static int size(Metadata trailers) {
        int size = 0;
        for (String key : trailers.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                byte[] value = trailers.get(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER));
                size += key.length() + (value.length + 2) / 3 * 4;
            } else {
                size += key.length() + trailers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)).length();
            }
        }
        return size;
    }

    @Test
    void aFewOffendingFieldsAreAllNamed() {
        StatusException refused = GrpcErrorMapping.invalidArgument(new InvalidInput(List.of(
                new FieldViolation("note", "is too long"), new FieldViolation("mood", "must be 1-5"))));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(FieldViolations.fieldsOf(refused)).containsExactly("note", "mood");
        assertThat(refused.getStatus().getDescription()).isEqualTo("note: is too long; mood: must be 1-5");
    }

    @Test
    void hundredsOfOffendingFieldsAreNamedFirstFewAndCountedWithinWhatAClientReads() {
        List<FieldViolation> violations = IntStream.range(0, 800)
                .mapToObj(i -> new FieldViolation("section.warning_signs[" + i + "]", "must not be empty, and " + "x".repeat(300)))
                .toList();
        StatusException refused = GrpcErrorMapping.invalidArgument(new InvalidInput(violations));

        List<String> named = FieldViolations.fieldsOf(refused);
        assertThat(named).isNotEmpty().hasSizeLessThanOrEqualTo(GrpcErrorMapping.MOST_FIELDS_NAMED)
                .startsWith("section.warning_signs[0]");
        assertThat(refused.getStatus().getDescription()).endsWith("; and " + (800 - named.size()) + " more");
        // the description travels as grpc-message beside the details, and other headers need room too
        assertThat(size(refused.getTrailers()) + refused.getStatus().getDescription().length()).isLessThan(CLIENTS_METADATA_LIMIT * 3 / 4);
    }
}
