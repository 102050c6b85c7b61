package app.tandem.notifications;

import app.tandem.platform.grpc.ReplicaTargets;
import app.tandem.notifications.channels.WebhookAddresses;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

import static app.tandem.platform.SettingChecks.atLeastOne;
import static app.tandem.platform.SettingChecks.longerThanZero;

/**
 * notifications-service's settings ({@code tandem.notifications.*}), checked when the service starts: a service
 * with a setting that cannot work does not start.
 *
 * @param journalTarget      where journal-service answers when a person last checked in (host:port, one per replica separated by commas, or dns:///name:port)
 * @param mailFrom           the sender of e-mail copies
 * @param maxAttempts        e-mail and webhook attempts before a message is dead-lettered
 * @param sendLease          how long one replica holds an outbox message it is sending
 * @param sendInterval       how often the outbox is looked at
 * @param digestInterval     how often held prompts are looked at
 * @param reminderInterval   how often daily reminders are looked at
 * @param streamPollInterval how soon a stream learns of a notification delivered by another instance
 * @param streamGapWait      how long a stream waits for a number taken but not yet stored
 * @param streamsPerPerson   notification streams one person may have open in one instance
 * @param streamsPerInstance notification streams one instance keeps open, whoever opened them
 * @param streamReaders      threads that read and send for all open streams of an instance
 * @param urgentPerHour      urgent prompts from one partner pushed to the other in an hour; more are only listed
 * @param partnerPromptsPerHour the partner's other prompts pushed in an hour (check-ins, boundaries, plan changes); more
 *                           are only listed
 * @param allowLocalWebhooks webhooks may use http and point at this machine: for a developer's machine only
 * @param webhookSends       webhook sends running at once, to all hosts
 * @param webhookSendsPerHost webhook sends running at once to one host, so a slow receiver holds only these
 * @param webhookConnectTimeout  longest wait for a webhook's connection (and TLS handshake)
 * @param webhookResponseTimeout longest wait for a webhook's answer; connection and answer together are a send's hard end
 * @param webhookLookupTimeout   longest wait for a webhook host's addresses
 * @param webhookDeniedRanges    address ranges (CIDR) webhooks may not point into besides those always refused, such
 *                               as the deployment's own public IPv6 ranges or a NAT64 prefix of its own
 */
@ConfigurationProperties("tandem.notifications")
public record NotificationsProperties(
        @DefaultValue("127.0.0.1:9101") String journalTarget,
        @DefaultValue("tandem@localhost") String mailFrom,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("1m") Duration sendLease,
        @DefaultValue("200ms") Duration sendInterval,
        @DefaultValue("1s") Duration digestInterval,
        @DefaultValue("1s") Duration reminderInterval,
        @DefaultValue("2s") Duration streamPollInterval,
        @DefaultValue("5s") Duration streamGapWait,
        @DefaultValue("3") int streamsPerPerson,
        @DefaultValue("10000") int streamsPerInstance,
        @DefaultValue("4") int streamReaders,
        @DefaultValue("3") int urgentPerHour,
        @DefaultValue("20") int partnerPromptsPerHour,
        @DefaultValue("false") boolean allowLocalWebhooks,
        @DefaultValue("16") int webhookSends,
        @DefaultValue("2") int webhookSendsPerHost,
        @DefaultValue("3s") Duration webhookConnectTimeout,
        @DefaultValue("10s") Duration webhookResponseTimeout,
        @DefaultValue("2s") Duration webhookLookupTimeout,
        @DefaultValue List<String> webhookDeniedRanges) {

    public NotificationsProperties {
        if (!ReplicaTargets.valid(journalTarget)) {
            throw new IllegalArgumentException("tandem.notifications.journal-target must be host:port, or several separated by commas");
        }
        if (mailFrom == null || !mailFrom.contains("@")) {
            throw new IllegalArgumentException("tandem.notifications.mail-from must be an e-mail address");
        }
        atLeastOne("tandem.notifications.max-attempts", maxAttempts);
        longerThanZero("tandem.notifications.send-lease", sendLease);
        longerThanZero("tandem.notifications.send-interval", sendInterval);
        longerThanZero("tandem.notifications.digest-interval", digestInterval);
        longerThanZero("tandem.notifications.reminder-interval", reminderInterval);
        longerThanZero("tandem.notifications.stream-poll-interval", streamPollInterval);
        longerThanZero("tandem.notifications.stream-gap-wait", streamGapWait);
        atLeastOne("tandem.notifications.streams-per-person", streamsPerPerson);
        atLeastOne("tandem.notifications.streams-per-instance", streamsPerInstance);
        atLeastOne("tandem.notifications.stream-readers", streamReaders);
        atLeastOne("tandem.notifications.urgent-per-hour", urgentPerHour);
        atLeastOne("tandem.notifications.partner-prompts-per-hour", partnerPromptsPerHour);
        atLeastOne("tandem.notifications.webhook-sends", webhookSends);
        atLeastOne("tandem.notifications.webhook-sends-per-host", webhookSendsPerHost);
        if (webhookSendsPerHost > webhookSends) {
            throw new IllegalArgumentException("tandem.notifications.webhook-sends-per-host must be at most tandem.notifications.webhook-sends");
        }
        longerThanZero("tandem.notifications.webhook-connect-timeout", webhookConnectTimeout);
        longerThanZero("tandem.notifications.webhook-response-timeout", webhookResponseTimeout);
        longerThanZero("tandem.notifications.webhook-lookup-timeout", webhookLookupTimeout);
        // a send still running when its claim runs out could be sent a second time by another replica
        if (webhookLookupTimeout.plus(webhookConnectTimeout).plus(webhookResponseTimeout).compareTo(sendLease) >= 0) {
            throw new IllegalArgumentException("tandem.notifications.webhook-lookup-timeout, webhook-connect-timeout and "
                    + "webhook-response-timeout together must be shorter than tandem.notifications.send-lease");
        }
        webhookDeniedRanges = webhookDeniedRanges == null ? List.of() : List.copyOf(webhookDeniedRanges);
        for (String range : webhookDeniedRanges) {
            try {
                WebhookAddresses.AddressRange.parse(range);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tandem.notifications.webhook-denied-ranges: " + e.getMessage());
            }
        }
    }
}
