package app.tandem.cli;

import app.tandem.api.v1.AuditRecord;
import app.tandem.api.v1.ListAuditLogRequest;
import app.tandem.api.v1.ListAuditLogResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code tandem ops audit [SERVICE]}: what operators did, newest first, across services. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The operator audit log: who did what, when, with what outcome.")
final class AuditCommand extends OperatorCommand {

    private static final int PAGE = 100;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "One service; all of them when left out.")
    String service;

    @Option(names = "--limit", defaultValue = "50", description = "The newest this many records (default ${DEFAULT-VALUE}).")
    int limit;

    private record Entry(String service, AuditRecord record) {
    }

    @Override
    int run(Output output) throws InterruptedException {
        List<Entry> entries = new ArrayList<>();
        for (String name : servicesOr(service)) {
            String page = "";
            int read = 0;
            do {
                ListAuditLogRequest request = ListAuditLogRequest.newBuilder().setService(name)
                        .setPageSize(Math.min(PAGE, limit)).setPageToken(page).build();
                ListAuditLogResponse log = call(ops -> ops.listAuditLog(request));
                log.getRecordsList().forEach(record -> entries.add(new Entry(name, record)));
                read += log.getRecordsCount();
                page = log.getNextPageToken();
            } while (!page.isEmpty() && read < limit);
        }
        entries.sort(Comparator.comparing((Entry e) -> e.record().getStartedAt().getSeconds())
                .thenComparing(e -> e.record().getStartedAt().getNanos()).reversed());
        output.row("STARTED", "SERVICE", "OPERATOR", "ACTION", "OUTCOME", "TARGET");
        for (Entry entry : entries.subList(0, Math.min(limit, entries.size()))) {
            AuditRecord record = entry.record();
            if (output.json) {
                output.jsonLine(entry.service(), record);
            } else {
                output.row(Output.time(record.getStartedAt()), entry.service(), record.getOperatorPersonId(), record.getAction(),
                        record.getOutcome().isEmpty() ? "(running)" : record.getOutcome(), record.getTarget().isEmpty() ? "-" : record.getTarget());
            }
        }
        output.printTable();
        return ExitCodes.DONE;
    }
}
