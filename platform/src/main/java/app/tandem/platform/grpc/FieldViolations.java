package app.tandem.platform.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;

import java.util.ArrayList;
import java.util.List;

/** Reads back, on the client side, the fields an INVALID_ARGUMENT status names. */
public final class FieldViolations {

    private FieldViolations() {
    }

    public static List<String> fieldsOf(Throwable failure) {
        Status status = StatusProto.fromThrowable(failure);
        List<String> fields = new ArrayList<>();
        if (status == null) {
            return fields;
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(BadRequest.class)) {
                try {
                    detail.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException("malformed BadRequest detail", e);
                }
            }
        }
        return fields;
    }
}
