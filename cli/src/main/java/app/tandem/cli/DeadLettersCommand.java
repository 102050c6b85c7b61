package app.tandem.cli;

import app.tandem.api.v1.DeadLetter;
import app.tandem.api.v1.DeadLetterRequest;
import app.tandem.api.v1.ListDeadLettersRequest;
import app.tandem.api.v1.ListDeadLettersResponse;
import app.tandem.api.v1.OperatorServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem ops dead-letters list|retry|discard}: records no attempt could handle and events that could not be
 * published, in each service.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "What services set aside: Kafka records no attempt could handle, stored events that could not be published.",
        subcommands = {DeadLettersCommand.List.class, DeadLettersCommand.Retry.class, DeadLettersCommand.Discard.class})
final class DeadLettersCommand {

    private static final int PAGE = 100;
    private static final String[] HEADER = {"SERVICE", "ID", "KIND", "STATE", "FROM", "TYPE", "ERROR", "FAILED", "RETRIES"};

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Dead letters, newest first.")
    static final class List extends OperatorCommand {

        @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "One service; all of them when left out.")
        String service;

        @Option(names = "--waiting", description = "Only those neither retried nor discarded.")
        boolean waiting;

        @Option(names = "--limit", defaultValue = "1000", description = "At most this many per service (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(Output output) throws InterruptedException {
            output.row(HEADER);
            for (String name : servicesOr(service)) {
                String page = "";
                int listed = 0;
                do {
                    ListDeadLettersRequest request = ListDeadLettersRequest.newBuilder()
                            .setService(name).setPageSize(PAGE).setPageToken(page).build();
                    ListDeadLettersResponse letters = call(ops -> ops.listDeadLetters(request));
                    for (DeadLetter letter : letters.getDeadLettersList()) {
                        if ((!waiting || letter.getState() == DeadLetter.State.WAITING) && listed++ < limit) {
                            print(output, name, letter);
                        }
                    }
                    page = letters.getNextPageToken();
                } while (!page.isEmpty() && listed < limit);
            }
            output.printTable();
            return ExitCodes.DONE;
        }
    }

    /** A command on one dead letter of one service, which prints the letter as it is afterwards. */
    abstract static class OneLetter extends OperatorCommand {

        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Override
        int run(Output output) throws InterruptedException {
            DeadLetterRequest request = DeadLetterRequest.newBuilder().setService(service).setDeadLetterId(id).build();
            DeadLetter letter = call(ops -> act(ops, request));
            output.row(HEADER);
            print(output, service, letter);
            output.printTable();
            return ExitCodes.DONE;
        }

        abstract DeadLetter act(OperatorServiceGrpc.OperatorServiceBlockingStub operators, DeadLetterRequest request);
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Hands a dead letter to its service again, once the cause is fixed; exit code 1 when it fails again.")
    static final class Retry extends OneLetter {
        @Override
        DeadLetter act(OperatorServiceGrpc.OperatorServiceBlockingStub operators, DeadLetterRequest request) {
            return operators.retryDeadLetter(request);
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true, description = "Leaves a dead letter for good; it stays listed as discarded.")
    static final class Discard extends OneLetter {
        @Override
        DeadLetter act(OperatorServiceGrpc.OperatorServiceBlockingStub operators, DeadLetterRequest request) {
            return operators.discardDeadLetter(request);
        }
    }

    private static void print(Output output, String service, DeadLetter letter) {
        if (output.json) {
            output.jsonLine(service, letter);
            return;
        }
        String from = letter.getKind() == DeadLetter.Kind.CONSUMED
                ? letter.getTopic() + "/" + letter.getPartition() + "@" + letter.getOffset()
                : "position " + letter.getPosition();
        output.row(service, letter.getDeadLetterId(), letter.getKind().name().toLowerCase(java.util.Locale.ROOT),
                letter.getState().name().toLowerCase(java.util.Locale.ROOT), from, letter.getEventType().isEmpty() ? "-" : letter.getEventType(),
                letter.getError(), Output.time(letter.getFailedAt()), Integer.toString(letter.getRetries()));
    }
}
