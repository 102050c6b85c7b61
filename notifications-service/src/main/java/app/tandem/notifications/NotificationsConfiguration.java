package app.tandem.notifications;

import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.platform.grpc.Endpoints;
import io.grpc.BindableService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

@Configuration(proxyBeanMethods = false)
public class NotificationsConfiguration {

    /** The inbox and preference endpoints together answer the public NotificationService. */
    @Bean
    BindableService notificationService(List<NotificationServiceGrpc.AsyncService> endpoints) {
        return Endpoints.serve(NotificationServiceGrpc.getServiceDescriptor(), NotificationServiceGrpc::bindService, endpoints);
    }
}
