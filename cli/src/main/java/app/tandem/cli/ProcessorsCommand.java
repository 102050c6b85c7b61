package app.tandem.cli;

import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ListProcessorsResponse;
import app.tandem.api.v1.ProcessorReset;
import app.tandem.api.v1.ProcessorStatus;
import app.tandem.api.v1.SegmentStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tandem ops processors [SERVICE]}: where each processor is and how far behind the newest event. */
@Command(name = "processors", mixinStandardHelpOptions = true,
        description = {"Every event processor and the integration publisher: segments, position, lag behind the head, state,",
                "and the replica holding each segment, whichever replica answers."})
final class ProcessorsCommand extends OperatorCommand {

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "One service; all of them when left out.")
    String service;

    @Override
    int run(Output output) throws InterruptedException {
        output.row("SERVICE", "PROCESSOR", "SEGMENT", "POSITION", "LAG", "STATE", "REPLICA");
        for (String name : servicesOr(service)) {
            ListProcessorsResponse processors = call(ops -> ops.listProcessors(ListProcessorsRequest.newBuilder().setService(name).build()));
            if (output.json) {
                output.jsonLine(name, processors);
                continue;
            }
            for (ProcessorStatus processor : processors.getProcessorsList()) {
                if (processor.getSegmentsCount() == 0) {
                    output.row(name, processor.getName(), "-", "-", "-", processor.getRunning()
                            ? processor.getStreaming() ? "starting" : "subscribing" : "stopped", "-");
                }
                for (SegmentStatus segment : processor.getSegmentsList()) {
                    output.row(name, processor.getName(), Integer.toString(segment.getSegmentId()),
                            Long.toString(segment.getPosition()), Long.toString(segment.getLag()), state(processor, segment),
                            segment.getClaimedBy().isEmpty() ? "-" : segment.getClaimedBy());
                }
            }
        }
        output.printTable();
        return ExitCodes.DONE;
    }

    static String state(ProcessorStatus processor, SegmentStatus segment) {
        if (!processor.getRunning()) {
            return "stopped";
        }
        if (segment.getError()) {
            return "error";
        }
        if (segment.getClaimedBy().isEmpty()) {
            return resetUnderWay(processor) ? "handed back for a reset" : "unclaimed";
        }
        if (ReplayCommand.replaying(segment)) {
            return "replaying to " + segment.getReplayUntilPosition();
        }
        return segment.getCaughtUp() ? "caught up" : "catching up";
    }

    static boolean resetUnderWay(ProcessorStatus processor) {
        ProcessorReset.State state = processor.getLastReset().getState();
        return state == ProcessorReset.State.RELEASING || state == ProcessorReset.State.RESETTING;
    }
}
