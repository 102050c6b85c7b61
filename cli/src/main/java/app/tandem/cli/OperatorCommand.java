package app.tandem.cli;

import app.tandem.api.v1.ErasureDeskGrpc;
import app.tandem.api.v1.OperatorServiceGrpc;
import io.grpc.stub.AbstractStub;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A command that calls the operators' API through the gateway on one channel, closed when the command ends. */
abstract class OperatorCommand implements Callable<Integer> {

    /**
     * A reset waits for the processor to hand back its segments, which the gateway allows two minutes; an export streams
     * for up to the gateway's longest stream.
     */
    private static final long CALL_SECONDS = 3600;

    @Mixin
    Gateway gateway;

    @Spec
    CommandSpec spec;

    private OperatorServiceGrpc.OperatorServiceBlockingStub operators;
    private ErasureDeskGrpc.ErasureDeskBlockingStub erasures;

    @Override
    public final Integer call() throws Exception {
        ManagedChannel channel = gateway.open(((TandemCli) spec.root().userObject()).environment);
        try {
            operators = OperatorServiceGrpc.newBlockingStub(channel).withCallCredentials(gateway.credentials());
            erasures = ErasureDeskGrpc.newBlockingStub(channel).withCallCredentials(gateway.credentials());
            return run(new Output(spec.commandLine().getOut(), gateway.json));
        } finally {
            Gateway.close(channel);
        }
    }

    /**
     * One call of the operators' API with a fresh deadline. A call refused with word of when to ask again is made again
     * then: one the gateway refused for the operator's rate limit (it reached no service), a few times at most, and a
     * reset that reached a replica other than the one processing (the gateway sends the next call to the next replica).
     */
    <T> T call(Function<OperatorServiceGrpc.OperatorServiceBlockingStub, T> rpc) throws InterruptedException {
        return call(operators, rpc);
    }

    /** The same, on the erasure desk. */
    <T> T callDesk(Function<ErasureDeskGrpc.ErasureDeskBlockingStub, T> rpc) throws InterruptedException {
        return call(erasures, rpc);
    }

    private <S extends AbstractStub<S>, T> T call(S stub, Function<S, T> rpc) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return rpc.apply(stub.withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS));
            } catch (StatusRuntimeException refused) {
                Optional<Duration> wait = retryDelay(refused);
                boolean limited = refused.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED;
                if (wait.isEmpty() || attempt == (limited ? ATTEMPTS_WHEN_LIMITED : ATTEMPTS_WHEN_ELSEWHERE)
                        || wait.get().compareTo(LONGEST_WAIT) > 0) {
                    throw refused;
                }
                err().println("tandem: " + (limited ? "over the gateway's limit for this operator" : refused.getStatus().getDescription())
                        + "; trying again in " + wait.get().toMillis() + " ms");
                Thread.sleep(wait.get().toMillis());
            }
        }
    }

    /** A stream's first answer is awaited inside {@link #call}, so a refused stream is made again like any call. */
    static <T> Iterator<T> started(Iterator<T> stream) {
        stream.hasNext();
        return stream;
    }

    private static final int ATTEMPTS_WHEN_LIMITED = 4;
    /** Round robin reaches the replica processing within as many calls as there are replicas, others' calls aside. */
    private static final int ATTEMPTS_WHEN_ELSEWHERE = 20;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private static Optional<Duration> retryDelay(StatusRuntimeException refused) {
        com.google.rpc.Status status = StatusProto.fromThrowable(refused);
        Status.Code code = refused.getStatus().getCode();
        if (code != Status.Code.RESOURCE_EXHAUSTED && code != Status.Code.UNAVAILABLE || status == null) {
            return Optional.empty();
        }
        return status.getDetailsList().stream().filter(detail -> detail.is(RetryInfo.class)).findFirst().map(detail -> {
            try {
                com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
                return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
            } catch (InvalidProtocolBufferException unreadable) {
                return null;
            }
        });
    }

    static List<String> servicesOr(String one) {
        return one == null ? Gateway.SERVICES : List.of(one);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    abstract int run(Output output) throws Exception;
}
