package app.tandem.gateway.tracing;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;

import java.util.List;

/**
 * The gateway's server span, which starts every trace: a client's trace headers ({@code traceparent}, {@code tracestate})
 * are dropped before the observation reads them, so no phone can join a trace or force it to be sampled; and the
 * span does not name the client's address, which is a person's. Replaces Spring gRPC's own server observation interceptor.
 */
public final class EdgeObservation extends ObservationGrpcServerInterceptor {

    private final List<Metadata.Key<String>> traceHeaders;

    public EdgeObservation(ObservationRegistry observations, Propagator propagator) {
        super(observations);
        setCustomConvention(new WithoutClientAddress());
        this.traceHeaders = propagator.fields().stream()
                .map(field -> Metadata.Key.of(field, Metadata.ASCII_STRING_MARSHALLER)).toList();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        traceHeaders.forEach(headers::removeAll);
        return super.interceptCall(call, headers, next);
    }

    private static final class WithoutClientAddress extends DefaultGrpcServerObservationConvention {
        @Override
        public KeyValues getLowCardinalityKeyValues(GrpcServerObservationContext context) {
            return withoutPeer(super.getLowCardinalityKeyValues(context));
        }

        @Override
        public KeyValues getHighCardinalityKeyValues(GrpcServerObservationContext context) {
            return withoutPeer(super.getHighCardinalityKeyValues(context));
        }

        private static KeyValues withoutPeer(KeyValues keyValues) {
            return KeyValues.of(keyValues.stream().filter(keyValue -> !keyValue.getKey().startsWith("net.peer.")).toList());
        }
    }
}
