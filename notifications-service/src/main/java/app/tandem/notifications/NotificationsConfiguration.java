package app.tandem.notifications;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class NotificationsConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
