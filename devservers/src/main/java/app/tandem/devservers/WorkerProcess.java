package app.tandem.devservers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A class's main method in a JVM of its own, on the test's class path, so a test can kill it with SIGKILL. */
public final class WorkerProcess {

    private WorkerProcess() {
    }

    public static Process start(Class<?> main, String... args) throws IOException {
        String[] command = new String[5 + args.length];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-Xmx256m";
        command[2] = "-cp";
        command[3] = System.getProperty("java.class.path");
        command[4] = main.getName();
        System.arraycopy(args, 0, command, 5, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(() -> {
            try {
                while (output.readLine() != null) {
                    // keep the pipe flowing
                }
            } catch (IOException e) {
                // the worker ended
            }
        }, main.getSimpleName() + "-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }
}
