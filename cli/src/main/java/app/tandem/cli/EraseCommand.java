package app.tandem.cli;

import app.tandem.api.v1.ErasePersonRequest;
import app.tandem.api.v1.Erasure;
import app.tandem.api.v1.GetErasureRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** {@code tandem ops erase PERSON_ID --reference REF}: erases a person on a request verified outside Tandem. */
@Command(name = "erase", mixinStandardHelpOptions = true,
        description = "Erases a person everywhere, on a verified request; waits until every service confirmed unless --no-wait.")
final class EraseCommand extends OperatorCommand {

    private static final Duration POLL = Duration.ofSeconds(1);

    @Parameters(paramLabel = "PERSON_ID", description = "The person's id in Tandem (p followed by 32 hex digits).")
    String personId;

    @Option(names = "--reference", required = true, description = "Where the verified request is kept: a ticket or case number.")
    String reference;

    @Option(names = "--no-wait", description = "Return once the erasure is requested.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "How long to wait for every service (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    int run(Output output) throws InterruptedException {
        // the same person and reference is the same request, however often the command is run
        String key = UUID.nameUUIDFromBytes((personId + "\u0000" + reference).getBytes(StandardCharsets.UTF_8)).toString();
        Erasure erasure = callDesk(desk -> desk.erasePerson(ErasePersonRequest.newBuilder().setPersonId(personId)
                .setRequestReference(reference).setIdempotencyKey(key).build()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!noWait && erasure.getState() != Erasure.State.COMPLETED && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            String id = erasure.getErasureId();
            erasure = callDesk(desk -> desk.getErasure(GetErasureRequest.newBuilder().setErasureId(id).build()));
        }
        if (output.json) {
            output.jsonLine("journal-service", erasure);
        } else {
            output.row("ERASURE", "STATE", "CONFIRMED BY");
            output.row(erasure.getErasureId(), erasure.getState().name(), String.join(", ", erasure.getErasedByList()));
            output.printTable();
        }
        return erasure.getState() == Erasure.State.COMPLETED || noWait ? ExitCodes.DONE : ExitCodes.TRY_LATER;
    }
}
