package app.tandem.cli;

import app.tandem.api.v1.OperatorServiceGrpc;
import io.grpc.ManagedChannel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** A command that calls the operators' API through the gateway on one channel, closed when the command ends. */
abstract class OperatorCommand implements Callable<Integer> {

    /** A reset waits for the processor to hand back its segments, which the gateway allows two minutes. */
    private static final long CALL_SECONDS = 130;

    @Mixin
    Gateway gateway;

    @Spec
    CommandSpec spec;

    private OperatorServiceGrpc.OperatorServiceBlockingStub operators;

    @Override
    public final Integer call() throws Exception {
        ManagedChannel channel = gateway.open(((TandemCli) spec.root().userObject()).environment);
        try {
            operators = OperatorServiceGrpc.newBlockingStub(channel).withCallCredentials(gateway.credentials());
            return run(new Output(spec.commandLine().getOut(), gateway.json));
        } finally {
            Gateway.close(channel);
        }
    }

    /** The operators' API, with a fresh deadline for each call made through it. */
    OperatorServiceGrpc.OperatorServiceBlockingStub operators() {
        return operators.withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /** A long export streams for up to the gateway's longest stream. */
    OperatorServiceGrpc.OperatorServiceBlockingStub exporting() {
        return operators.withDeadlineAfter(1, TimeUnit.HOURS);
    }

    static List<String> servicesOr(String one) {
        return one == null ? Gateway.SERVICES : List.of(one);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    abstract int run(Output output) throws Exception;
}
