package app.tandem.notifications;

import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.notifications.channels.OutboxSender;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.reminders.DailyReminders;
import app.tandem.platform.grpc.Endpoints;
import app.tandem.platform.time.Poller;
import io.grpc.BindableService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

@Configuration(proxyBeanMethods = false)
public class NotificationsConfiguration {

    /** The inbox and preference endpoints together answer the public NotificationService. */
    @Bean
    BindableService notificationService(List<NotificationServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(NotificationServiceGrpc.getServiceDescriptor(), NotificationServiceGrpc::bindService, endpoints);
    }

    // each job on its own thread, so a slow SMTP server delays no reminder or digest

    @Bean
    Poller outboxSending(OutboxSender sender, @Value("${tandem.notifications.send-interval:200ms}") Duration interval) {
        return new Poller("outbox-sender", interval, () -> sender.sendDue(500));
    }

    @Bean
    Poller digestRelease(Dispatcher dispatcher, @Value("${tandem.notifications.digest-interval:1s}") Duration interval) {
        return new Poller("digests", interval, dispatcher::releaseDigests);
    }

    @Bean
    Poller dailyReminding(DailyReminders reminders, @Value("${tandem.notifications.reminder-interval:1s}") Duration interval) {
        return new Poller("daily-reminders", interval, () -> reminders.sendDue(500));
    }

    @Bean
    Poller streamWaking(Inbox inbox, @Value("${tandem.notifications.stream-poll-interval:2s}") Duration interval) {
        return new Poller("stream-wake-ups", interval, inbox::wakeOnDeliveriesElsewhere);
    }
}
