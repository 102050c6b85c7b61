package app.tandem.cli;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void aLineSaysHowFarHowFastAndHowLongStill() throws InterruptedException {
        Progress progress = new Progress(1_000, true);
        assertThat(progress.show(0, false, false)).contains("waiting for the processor");
        progress.show(100, true, false);
        Thread.sleep(200);
        String line = progress.show(500, true, false);
        assertThat(line).contains(" 50%").contains("500 of 1,000 events").doesNotContain(" 0 events/s").doesNotContain("- left");
        assertThat(progress.finish()).contains("500 of 1,000");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndElsewhereWrittenEveryFewSeconds() {
        Progress terminal = new Progress(10, true);
        assertThat(terminal.show(5, true, false)).startsWith("\r").endsWith("\033[K");
        assertThat(terminal.show(6, true, false)).startsWith("\r");

        Progress log = new Progress(10, false);
        assertThat(log.show(5, true, true)).endsWith(System.lineSeparator()).contains("reports an error");
        assertThat(log.show(6, true, false)).isEmpty();
    }

    @Test
    void aReplayPastItsEndShowsAllOfIt() {
        Progress progress = new Progress(40, false);
        progress.show(10, true, false);
        progress.show(45, true, false);
        assertThat(progress.finish()).contains("100%").contains("40 of 40 events");
    }

    @Test
    void exitCodesFollowTheStatusKind() {
        assertThat(ExitCodes.of(Status.Code.OK)).isEqualTo(ExitCodes.DONE);
        assertThat(ExitCodes.of(Status.Code.INVALID_ARGUMENT)).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.of(Status.Code.PERMISSION_DENIED)).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(ExitCodes.of(Status.Code.UNAUTHENTICATED)).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(ExitCodes.of(Status.Code.NOT_FOUND)).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ExitCodes.of(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(ExitCodes.TRY_LATER);
        assertThat(ExitCodes.of(Status.Code.FAILED_PRECONDITION)).isEqualTo(ExitCodes.FAILED);
    }
}
