package app.tandem.journal;

import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ResetProcessorRequest;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator may rebuild a read model before the service stored anything: there is nothing to replay, and it says so. */
class ProcessorResetTest {

    @Test
    void aProcessorThatHasSeenNoEventYetIsResetWithoutFault() {
        try (RunningService journal = RunningService.start(JournalApplication.NAME, JournalApplication.class,
                EmbeddedStack.shared().serviceProperties(JournalApplication.NAME))) {
            var operator = JournalCalls.operator(journal);
            assertThat(operator.resetProcessor(ResetProcessorRequest.newBuilder().setService(JournalApplication.NAME).setName("progress-view")
                    .build()).getReplayUntilPosition()).isZero();
            assertThat(operator.listProcessors(ListProcessorsRequest.newBuilder().setService(JournalApplication.NAME).build())
                    .getProcessorsList()).filteredOn(p -> p.getName().equals("progress-view")).singleElement()
                    .satisfies(p -> assertThat(p.getRunning()).isTrue());
        }
    }
}
