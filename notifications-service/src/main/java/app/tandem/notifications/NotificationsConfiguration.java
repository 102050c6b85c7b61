package app.tandem.notifications;

import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.notifications.channels.OutboxSender;
import app.tandem.notifications.channels.WebhookAddresses;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.reminders.DailyReminders;
import app.tandem.platform.grpc.Endpoints;
import app.tandem.platform.time.Poller;
import io.grpc.BindableService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationsProperties.class)
public class NotificationsConfiguration {

    /** The inbox and preference endpoints together answer the public NotificationService. */
    @Bean
    BindableService notificationService(List<NotificationServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(NotificationServiceGrpc.getServiceDescriptor(), NotificationServiceGrpc::bindService, endpoints);
    }

    @Bean
    WebhookAddresses webhookAddresses(NotificationsProperties properties) {
        return new WebhookAddresses(properties.allowLocalWebhooks());
    }

    // each job on its own thread, so a slow SMTP server delays no reminder or digest

    @Bean
    Poller outboxSending(OutboxSender sender, NotificationsProperties properties) {
        return new Poller("outbox-sender", properties.sendInterval(), () -> sender.sendDue(500));
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
        return new Poller("stream-wake-ups", properties.streamPollInterval(), inbox::wakeOnDeliveriesElsewhere);
    }
}
