package app.tandem.notifications;

import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.notifications.channels.Outbox;
import app.tandem.notifications.channels.OutboxSender;
import app.tandem.notifications.channels.WebhookAddresses;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.preferences.ConfirmationCodes;
import app.tandem.notifications.reminders.DailyReminders;
import app.tandem.platform.TandemProperties;
import app.tandem.platform.grpc.Endpoints;
import app.tandem.platform.grpc.JournalFacts;
import app.tandem.platform.metrics.SampledGauges;
import app.tandem.platform.security.CallerAssertions;
import app.tandem.platform.time.Poller;
import io.grpc.BindableService;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Locale;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationsProperties.class)
public class NotificationsConfiguration {

    /** The inbox and preference endpoints together answer the public NotificationService. */
    @Bean
    BindableService notificationService(List<NotificationServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(NotificationServiceGrpc.getServiceDescriptor(), NotificationServiceGrpc::bindService, endpoints);
    }

    /** Craving alerts and milestone prompts ask the journal for the facts its events leave out. */
    @Bean(destroyMethod = "close")
    JournalFacts journalFacts(NotificationsProperties properties, CallerAssertions identity, ObservationGrpcClientInterceptor traced) {
        return new JournalFacts(properties.journalTarget(), identity, traced);
    }

    @Bean
    WebhookAddresses webhookAddresses(NotificationsProperties properties) {
        return new WebhookAddresses(properties.allowLocalWebhooks(), properties.webhookLookupTimeout(), properties.webhookDeniedRanges());
    }

    /** Confirmation codes are keyed by a secret derived from the master key, never by the key itself. */
    @Bean
    ConfirmationCodes confirmationCodes(TandemProperties properties) {
        return new ConfirmationCodes(properties.crypto().derivedKey("tandem contact confirmation codes"));
    }

    // each job on its own thread, so a slow SMTP server delays no webhook, reminder or digest; webhooks are sent on
    // threads of their own, a few per host, so a slow receiver delays no other

    /** Messages waiting to be sent and those given up on, per channel; counted every few seconds, not per scrape. */
    @Bean
    SmartInitializingSingleton outboxGauges(Outbox outbox, SampledGauges gauges) {
        return () -> {
            for (Outbox.Channel channel : Outbox.Channel.values()) {
                Tags tags = Tags.of("channel", channel.name().toLowerCase(Locale.ROOT));
                gauges.gauge("tandem.outbox.depth", "Messages waiting to be sent", tags, () -> outbox.count(Outbox.Status.PENDING, channel));
                gauges.gauge("tandem.outbox.dead", "Messages no attempt could send, for an operator", tags,
                        () -> outbox.count(Outbox.Status.DEAD, channel));
            }
        };
    }

    @Bean
    Poller emailSending(OutboxSender sender, NotificationsProperties properties) {
        return new Poller("outbox-email", properties.sendInterval(), () -> sender.sendDueEmails(500));
    }

    @Bean
    Poller webhookSending(OutboxSender sender, NotificationsProperties properties) {
        return new Poller("outbox-webhooks", properties.sendInterval(), () -> sender.startDueWebhooks(100));
    }

    @Bean
    Poller digestRelease(Dispatcher dispatcher, NotificationsProperties properties) {
        return new Poller("digests", properties.digestInterval(), dispatcher::releaseDigests);
    }

    @Bean
    Poller dailyReminding(DailyReminders reminders, NotificationsProperties properties) {
        return new Poller("daily-reminders", properties.reminderInterval(), () -> reminders.sendDue(500));
    }

    @Bean
    Poller streamWaking(Inbox inbox, NotificationsProperties properties) {
        return new Poller("stream-wake-ups", properties.streamPollInterval(), inbox.feed()::wakeOnAppendsElsewhere);
    }
}
