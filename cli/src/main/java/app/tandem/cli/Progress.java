package app.tandem.cli;

/**
 * A replay's progress as one line: a bar, events done of all, the rate since watching began and the time left. On a
 * terminal the line is redrawn in place; elsewhere (a log, a pipe) a new line is written every few seconds.
 */
final class Progress {

    private static final int BAR = 30;
    private static final long LINE_EVERY_NANOS = 2_000_000_000L;

    private final long until;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long firstPosition = -1;
    private long firstNanos;
    /** So the first look writes a line. */
    private long lastLineNanos = startNanos - LINE_EVERY_NANOS;
    private long position;

    Progress(long until, boolean terminal) {
        this.until = until;
        this.terminal = terminal;
    }

    /** What to print for this look: the redrawn line, a new line, or nothing yet. */
    String show(long position, boolean started, boolean failing) {
        long now = System.nanoTime();
        this.position = position;
        if (started && firstPosition < 0) {
            firstPosition = position;
            firstNanos = now;
        }
        String line = started ? line(now) + (failing ? "  (the processor reports an error; it retries)" : "")
                : "waiting for the processor to take its segments";
        if (terminal) {
            return "\r" + line + "\033[K";
        }
        if (now - lastLineNanos >= LINE_EVERY_NANOS) {
            lastLineNanos = now;
            return line + System.lineSeparator();
        }
        return "";
    }

    String finish() {
        return (terminal ? "\r" : "") + line(System.nanoTime()) + (terminal ? "\033[K" : "");
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String line(long now) {
        long done = Math.min(position, until);
        int percent = until == 0 ? 100 : (int) (done * 100 / until);
        int filled = percent * BAR / 100;
        double seconds = (now - firstNanos) / 1e9;
        double rate = seconds > 0 ? (position - firstPosition) / seconds : 0;
        String left = rate > 0 ? formatSeconds((until - done) / rate) : "-";
        return String.format("[%s%s] %3d%%  %,d of %,d events  %,.0f events/s  %s left",
                "#".repeat(filled), ".".repeat(BAR - filled), percent, done, until, rate, left);
    }

    private static String formatSeconds(double seconds) {
        long whole = Math.round(seconds);
        return whole < 60 ? whole + " s" : whole / 60 + " min " + whole % 60 + " s";
    }
}
