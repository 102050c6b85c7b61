package app.tandem.platform.grpc;

import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.InvalidInput.FieldViolation;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request that does not parse (invalid UTF-8 in a string, a message cut short) is answered INVALID_ARGUMENT naming
 * the field where it can, and reaches no handler. grpc-java answers a parse failure with UNKNOWN, so the request
 * marshaller here never fails: it hands the handler either the message or what was wrong with it.
 */
public final class MalformedRequests {

    private static final int MAX_DEPTH = 100;

    private MalformedRequests() {
    }

    /** What a request's bytes got wrong, to be answered instead of handled. */
    record Malformed(InvalidInput problem) {
    }

    /** The service with every protobuf request parsed leniently; other marshallers stay as they are. */
    public static ServerServiceDefinition answeredAsInvalid(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName()).setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> lenient = lenient(method);
            methods.add(lenient);
            descriptor.addMethod(lenient.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder result = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(result::addMethod);
        return result.build();
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerMethodDefinition<?, R> lenient(ServerMethodDefinition<Q, R> definition) {
        MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
        if (!(method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> proto)
                || !(proto.getMessagePrototype() instanceof Message prototype)) {
            return definition;
        }
        MethodDescriptor<Object, R> lenientMethod = method.toBuilder(new LenientMarshaller(prototype), method.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> handler = definition.getServerCallHandler();
        return ServerMethodDefinition.create(lenientMethod, (call, headers) -> screened((ServerCall<Q, R>) (ServerCall<?, R>) call, headers, handler));
    }

    private static <Q, R> ServerCall.Listener<Object> screened(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> handler) {
        OnceClosed<Q, R> guarded = new OnceClosed<>(call);
        ServerCall.Listener<Q> next = handler.startCall(guarded, headers);
        return new ServerCall.Listener<>() {
            private boolean refused;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Object message) {
                if (message instanceof Malformed malformed) {
                    refused = true;
                    StatusException invalid = GrpcErrorMapping.invalidArgument(malformed.problem());
                    guarded.closeOnce(invalid.getStatus(), invalid.getTrailers() == null ? new Metadata() : invalid.getTrailers());
                } else if (!refused) {
                    next.onMessage((Q) message);
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    next.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!refused) {
                    next.onReady();
                }
            }

            @Override
            public void onCancel() {
                next.onCancel();
            }

            @Override
            public void onComplete() {
                next.onComplete();
            }
        };
    }

    /** A call that may be closed by an interceptor before its request is looked at, and then not again. */
    private static final class OnceClosed<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private volatile boolean closed;

        OnceClosed(ServerCall<Q, R> call) {
            super(call);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closed = true;
            super.close(status, trailers);
        }

        void closeOnce(Status status, Metadata trailers) {
            if (!closed) {
                close(status, trailers);
            }
        }
    }

    private static final class LenientMarshaller implements MethodDescriptor.PrototypeMarshaller<Object> {
        private final Message prototype;

        LenientMarshaller(Message prototype) {
            this.prototype = prototype;
        }

        @Override
        public Object getMessagePrototype() {
            return prototype;
        }

        @Override
        public Class<Object> getMessageClass() {
            return Object.class;
        }

        @Override
        public InputStream stream(Object value) {
            return new ByteArrayInputStream(((Message) value).toByteArray());
        }

        @Override
        public Object parse(InputStream stream) {
            byte[] bytes;
            try {
                // grpc-java's message streams know their length; any other is read to its end
                bytes = stream.readNBytes(Math.max(stream.available(), 0));
                int next = stream.read();
                if (next != -1) {
                    ByteArrayOutputStream whole = new ByteArrayOutputStream();
                    whole.write(bytes);
                    whole.write(next);
                    stream.transferTo(whole);
                    bytes = whole.toByteArray();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return prototype.getParserForType().parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                return new Malformed(problemsOf(prototype.getDescriptorForType(), bytes));
            }
        }
    }

    /** Why {@code bytes} are not a {@code type}: each string field that is not UTF-8, by its path, or else the whole. */
    public static InvalidInput problemsOf(Descriptor type, byte[] bytes) {
        List<FieldViolation> violations = new ArrayList<>();
        walk(type, CodedInputStream.newInstance(bytes), "", violations, 0);
        if (violations.isEmpty()) {
            violations.add(new FieldViolation("request", "is not a well-formed " + type.getName()));
        }
        return new InvalidInput(violations);
    }

    private static void walk(Descriptor type, CodedInputStream in, String prefix, List<FieldViolation> violations, int depth) {
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
                if (field == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    in.skipField(tag);
                    continue;
                }
                ByteString value = in.readBytes();
                String path = prefix + field.getName();
                if (field.getType() == FieldDescriptor.Type.STRING && !value.isValidUtf8()) {
                    violations.add(new FieldViolation(path, "must be valid UTF-8"));
                } else if (field.getType() == FieldDescriptor.Type.MESSAGE && depth < MAX_DEPTH) {
                    walk(field.getMessageType(), value.newCodedInput(), path + ".", violations, depth + 1);
                }
            }
        } catch (IOException cutShort) {
            violations.add(new FieldViolation(prefix.isEmpty() ? "request" : prefix.substring(0, prefix.length() - 1), "is cut short or malformed"));
        }
    }
}
