package app.tandem.cli;

import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ProcessorStatus;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.api.v1.SegmentStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.UUID;

/**
 * {@code tandem ops replay SERVICE PROCESSOR}: rebuilds a read model from the first event and shows the replay's
 * progress. The replay runs in the service, so a lost connection or Ctrl-C leaves it running; {@code --attach} shows it
 * again.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Rebuilds a processor's read model from the first event, showing events done, rate and time left.",
                "The replay runs in the service: Ctrl-C or a lost connection leaves it running, and --attach shows it again.",
                "Handlers with side effects (prompts, e-mails, webhooks) do not run during a replay."})
final class ReplayCommand extends OperatorCommand {

    private static final int ATTEMPTS_WHEN_UNREACHABLE = 5;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "PROCESSOR")
    String processor;

    @Option(names = "--attach", description = "Follow a replay under way instead of starting one.")
    boolean attach;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "PT0.5S",
            converter = DurationConverter.class, description = "How often to look (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration every;

    @Override
    int run(Output output) throws InterruptedException {
        long until;
        if (attach) {
            ProcessorStatus status = status();
            if (status.getSegmentsList().stream().noneMatch(ReplayCommand::replaying)) {
                report(output, status, "no replay of " + processor + " is under way", 0);
                return ExitCodes.DONE;
            }
            until = status.getSegmentsList().stream().mapToLong(SegmentStatus::getReplayUntilPosition).max().orElse(0);
        } else {
            // one key for every attempt of this command: a retry after a lost answer resets nothing again
            String key = UUID.randomUUID().toString();
            err().println("resetting " + processor + " of " + service + ": every replica hands back its segments first");
            until = call(ops -> ops.resetProcessor(ResetProcessorRequest.newBuilder().setService(service).setName(processor)
                    .setIdempotencyKey(key).build())).getReplayUntilPosition();
        }
        err().println("replaying " + processor + " of " + service + " up to position " + until
                + "; Ctrl-C leaves it running, `tandem ops replay --attach " + service + " " + processor + "` follows it again");
        Progress progress = new Progress(until, System.console() != null);
        while (true) {
            ProcessorStatus status = statusOrTellHowToAttach();
            if (status == null) {
                return ExitCodes.TRY_LATER;
            }
            boolean started = status.getSegmentsCount() > 0;
            long position = position(status);
            boolean failing = status.getSegmentsList().stream().anyMatch(SegmentStatus::getError);
            err().print(progress.show(position, started, failing));
            err().flush();
            if (started && position >= until) {
                err().println(progress.finish());
                report(output, status, "replayed", progress.seconds());
                return ExitCodes.DONE;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /**
     * Whether a segment still has events to replay. Axon calls it replaying until the first event after the reset
     * position, which is handled as new: one that reached the position is done.
     */
    static boolean replaying(SegmentStatus segment) {
        return segment.getReplaying() && segment.getPosition() < segment.getReplayUntilPosition();
    }

    /** How far the processor is: its furthest-behind segment's position. */
    private static long position(ProcessorStatus status) {
        return status.getSegmentsList().stream().mapToLong(SegmentStatus::getPosition).min().orElse(0);
    }

    private void report(Output output, ProcessorStatus status, String what, double seconds) {
        long position = position(status);
        if (output.json) {
            output.jsonLine(Output.object().put("service", service).put("processor", processor).put("outcome", what)
                    .put("position", position).put("seconds", Math.round(seconds * 10) / 10.0));
        } else {
            output.line(what + ": " + processor + " of " + service + " at position " + position);
        }
    }

    private ProcessorStatus status() throws InterruptedException {
        return call(ops -> ops.listProcessors(ListProcessorsRequest.newBuilder().setService(service).build())).getProcessorsList().stream()
                .filter(p -> p.getName().equals(processor)).findFirst()
                .orElseThrow(() -> Status.NOT_FOUND.withDescription("no processor " + processor + " in " + service).asRuntimeException());
    }

    /** The processor's status; when the gateway stays unreachable, null after saying how to follow the replay later. */
    private ProcessorStatus statusOrTellHowToAttach() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return status();
            } catch (StatusRuntimeException e) {
                if (ExitCodes.of(e.getStatus().getCode()) != ExitCodes.TRY_LATER) {
                    throw e;
                }
                if (attempt == ATTEMPTS_WHEN_UNREACHABLE) {
                    err().println();
                    err().println("tandem: lost the gateway (" + e.getStatus().getCode() + "); the replay goes on in " + service
                            + ": `tandem ops replay --attach " + service + " " + processor + "` follows it again");
                    return null;
                }
                Thread.sleep(every.toMillis() * attempt);
            }
        }
    }
}
