package app.tandem.cli;

import app.tandem.api.v1.ExportEventsRequest;
import app.tandem.api.v1.Period;
import app.tandem.api.v1.StoredEvent;
import com.google.protobuf.Timestamp;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tandem ops export}: stored events as JSON Lines, exactly as stored, so what people wrote stays encrypted under
 * their own keys.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Stored events as JSON Lines (service, position, type, aggregate, sequence, time, metadata, payload),",
                "as stored: what people wrote (notes, tags) stays encrypted under its author's key. A period covers at most 31 days.",
                "A file is written readable by its owner only, and only once the export is whole."})
final class ExportCommand extends OperatorCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Option(names = "--couple", paramLabel = "ID", description = "A couple's events: its aggregates' and those naming it.")
        String couple;

        @Option(names = "--aggregate", paramLabel = "ID", description = "One aggregate's events, in sequence.")
        String aggregate;

        @ArgGroup(exclusive = false)
        Between between;
    }

    static final class Between {
        @Option(names = "--from", required = true, paramLabel = "TIME", description = "Stored at or after (ISO-8601, e.g. 2026-12-01T00:00:00Z).")
        Instant from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "Stored before.")
        Instant to;
    }

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only these services (repeatable); all of them when left out.")
    List<String> services;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path file;

    @Override
    int run(Output ignored) throws IOException, InterruptedException {
        if (file == null) {
            return export(spec.commandLine().getOut());
        }
        // events are written where only their owner can read them, and become the file only once whole
        Path absolute = file.toAbsolutePath();
        Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            int exit;
            try (PrintWriter target = new PrintWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8))) {
                exit = export(target);
            }
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return exit;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private int export(PrintWriter target) throws InterruptedException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Output lines = new Output(target, true);
        for (String service : services == null ? Gateway.SERVICES : services) {
            int count = 0;
            for (Iterator<StoredEvent> events = call(ops -> started(ops.exportEvents(request(service)))); events.hasNext(); count++) {
                lines.jsonLine(line(service, events.next()));
            }
            counts.put(service, count);
        }
        if (target.checkError()) {
            throw new IllegalStateException("the events could not all be written");
        }
        err().println("exported " + counts.values().stream().mapToInt(Integer::intValue).sum() + " events " + counts);
        return ExitCodes.DONE;
    }

    private ExportEventsRequest request(String service) {
        ExportEventsRequest.Builder request = ExportEventsRequest.newBuilder().setService(service);
        if (selection.couple != null) {
            request.setCoupleId(selection.couple);
        } else if (selection.aggregate != null) {
            request.setAggregateId(selection.aggregate);
        } else {
            request.setPeriod(Period.newBuilder().setFrom(timestamp(selection.between.from)).setTo(timestamp(selection.between.to)));
        }
        return request.build();
    }

    private static tools.jackson.databind.node.ObjectNode line(String service, StoredEvent event) {
        return Output.object().put("service", service)
                .put("position", event.getPosition())
                .put("type", event.getType())
                .put("revision", event.getRevision().isEmpty() ? null : event.getRevision())
                .put("aggregateType", event.getAggregateType().isEmpty() ? null : event.getAggregateType())
                .put("aggregateId", event.getAggregateId())
                .put("sequence", event.getSequence())
                .put("time", Output.time(event.getTime()))
                .put("eventId", event.getEventId())
                .set("metadata", Output.parsedOrText(event.getMetadataJson()))
                .set("payload", Output.parsedOrText(event.getPayloadJson()));
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
