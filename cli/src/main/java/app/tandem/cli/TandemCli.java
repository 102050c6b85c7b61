package app.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code tandem}: Tandem from a terminal or a script, through the gateway. */
@Command(name = "tandem", mixinStandardHelpOptions = true, versionProvider = TandemCli.Version.class,
        subcommands = OpsCommand.class,
        description = "Tandem through its gateway.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:the service refused or failed (FAILED_PRECONDITION, ABORTED, INTERNAL)",
                "2:a wrong command or argument (also INVALID_ARGUMENT)",
                "3:not allowed: no valid operator token (UNAUTHENTICATED, PERMISSION_DENIED)",
                "4:no such thing (NOT_FOUND)",
                "5:try again later: unreachable, too slow or over a limit (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED)"})
public final class TandemCli {

    /** Settings the options leave open: TANDEM_GATEWAY, TANDEM_TOKEN, TANDEM_PLAINTEXT. */
    final Map<String, String> environment;

    private TandemCli(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(), args));
    }

    /**
     * Runs one command with its output and errors written to {@code out} and {@code err}, and {@code environment} in place
     * of the process's; answers the exit code.
     */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> environment, String... args) {
        CommandLine command = new CommandLine(new TandemCli(environment))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(ExitCodes::handle)
                .setCaseInsensitiveEnumValuesAllowed(true);
        int code = command.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TandemCli.class.getPackage().getImplementationVersion();
            return new String[] {"tandem " + (version == null ? "(development build)" : version)};
        }
    }
}
