package app.tandem.care;

import app.tandem.platform.grpc.ReplicaTargets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

import static app.tandem.platform.SettingChecks.atLeastOne;
import static app.tandem.platform.SettingChecks.longerThanZero;

/**
 * @param journalTarget       where journal-service discloses entries and figures (host:port, one per replica separated by commas, or dns:///name:port)
 * @param expiryPollInterval  how often consents whose date came are ended and patients warned ahead
 * @param streamPollInterval  how soon a stream learns of an item another instance added
 * @param streamGapWait       how long a stream waits for a number taken but not yet stored
 * @param streamsPerCounselor care streams one counselor may have open in one instance
 * @param streamsPerInstance  care streams one instance keeps open
 * @param streamReaders       threads that read, check and send for all open care streams of an instance
 */
@ConfigurationProperties("tandem.care")
public record CareProperties(
        @DefaultValue("127.0.0.1:9101") String journalTarget,
        @DefaultValue("1m") Duration expiryPollInterval,
        @DefaultValue("2s") Duration streamPollInterval,
        @DefaultValue("5s") Duration streamGapWait,
        @DefaultValue("3") int streamsPerCounselor,
        @DefaultValue("10000") int streamsPerInstance,
        @DefaultValue("4") int streamReaders) {

    public CareProperties {
        if (!ReplicaTargets.valid(journalTarget)) {
            throw new IllegalArgumentException("tandem.care.journal-target must be host:port, or several separated by commas");
        }
        longerThanZero("tandem.care.expiry-poll-interval", expiryPollInterval);
        longerThanZero("tandem.care.stream-poll-interval", streamPollInterval);
        longerThanZero("tandem.care.stream-gap-wait", streamGapWait);
        atLeastOne("tandem.care.streams-per-counselor", streamsPerCounselor);
        atLeastOne("tandem.care.streams-per-instance", streamsPerInstance);
        atLeastOne("tandem.care.stream-readers", streamReaders);
    }
}
