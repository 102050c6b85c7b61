package app.tandem.gateway.limits;

import app.tandem.gateway.GatewayProperties;
import app.tandem.platform.grpc.AccessRules;
import app.tandem.platform.security.Caller;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Each person's calls through this gateway, limited per kind of call (token buckets): writes, reads and opened
 * streams. Beyond a limit a call gets RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} saying when the next one
 * will be taken. Runs after authentication, so only verified people have buckets.
 */
public final class RateLimits implements ServerInterceptor {

    /** How a call counts: a read ({@code read_only} in its proto), a stream opened, or a write. */
    public enum Kind { READ, WRITE, STREAM }

    private final Map<Kind, GatewayProperties.Rate> rates = new EnumMap<>(Kind.class);
    /** A bucket idle for a while is full again anyway, so it is forgotten; the size bound keeps memory bounded. */
    private final Cache<PersonKind, Bucket> buckets;

    private record PersonKind(String personId, Kind kind) {
    }

    public RateLimits(GatewayProperties.Limits limits) {
        rates.put(Kind.WRITE, limits.writes());
        rates.put(Kind.READ, limits.reads());
        rates.put(Kind.STREAM, limits.streams());
        Duration longestRefill = rates.values().stream().map(GatewayProperties.Rate::timeToFill).max(Duration::compareTo).orElseThrow();
        this.buckets = Caffeine.newBuilder().expireAfterAccess(longestRefill).maximumSize((long) limits.people() * Kind.values().length).build();
    }

    public static Kind kindOf(MethodDescriptor<?, ?> method) {
        if (!method.getType().serverSendsOneMessage()) {
            return Kind.STREAM;
        }
        return AccessRules.readOnly(method) ? Kind.READ : Kind.WRITE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Kind kind = kindOf(call.getMethodDescriptor());
        ConsumptionProbe probe = buckets.get(new PersonKind(Caller.current().personId(), kind), key -> bucket(rates.get(key.kind())))
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return next.startCall(call, headers);
        }
        StatusException refused = refusal(kind, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        call.close(refused.getStatus(), refused.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }

    private static Bucket bucket(GatewayProperties.Rate rate) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.perMinute(), Duration.ofMinutes(1)))
                .build();
    }

    private static StatusException refusal(Kind kind, Duration wait) {
        // whole milliseconds, rounded up, so a client that waits exactly this long is let through
        long millis = Math.max(1, (wait.toNanos() + 999_999) / 1_000_000);
        RetryInfo retry = RetryInfo.newBuilder()
                .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
                .build();
        return StatusProto.toStatusException(com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("too many " + kind.name().toLowerCase() + " calls: try again in " + millis + " ms")
                .addDetails(Any.pack(retry))
                .build());
    }
}
