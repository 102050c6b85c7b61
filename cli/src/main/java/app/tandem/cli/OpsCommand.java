package app.tandem.cli;

import picocli.CommandLine.Command;

/** {@code tandem ops}: what operators do, each call checked against an operator's token and kept in the audit log. */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = "Operators' work: processors, replays, dead letters, exports of stored events and the audit log.",
        subcommands = {ProcessorsCommand.class, ReplayCommand.class, DeadLettersCommand.class, ExportCommand.class,
                AuditCommand.class, EraseCommand.class})
final class OpsCommand {
}
