package app.tandem.notifications.channels;

import app.tandem.notifications.NotificationsProperties;
import app.tandem.notifications.preferences.PreferenceStore;
import app.tandem.notifications.preferences.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends what the outbox holds, one claimed message at a time, so replicas sharing the outbox never send one
 * message at once. A failed attempt is retried with exponential backoff (1 s, 2 s, 4 s, ... at most 5 minutes
 * apart); after {@code maxAttempts} the message is dead-lettered for an operator, never dropped silently.
 */
@Component
public class OutboxSender {

    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    private final Outbox outbox;
    private final PreferenceStore preferences;
    private final EmailChannel email;
    private final WebhookChannel webhooks = new WebhookChannel();
    private final WebhookAddresses webhookAddresses;
    private final Clock clock;
    private final int maxAttempts;

    public OutboxSender(Outbox outbox, PreferenceStore preferences, ObjectProvider<JavaMailSender> mail, Clock clock,
                        NotificationsProperties properties, WebhookAddresses webhookAddresses) {
        this.outbox = outbox;
        this.webhookAddresses = webhookAddresses;
        this.preferences = preferences;
        JavaMailSender sender = mail.getIfAvailable();
        this.email = sender == null ? null : new EmailChannel(sender, properties.mailFrom());
        this.clock = clock;
        this.maxAttempts = properties.maxAttempts();
    }

    /** Sends what is due, at most {@code limit} messages. */
    public void sendDue(int limit) {
        for (int sent = 0; sent < limit && !Thread.currentThread().isInterrupted(); sent++) {
            Optional<Outbox.Message> claimed = outbox.claimNext();
            if (claimed.isEmpty()) {
                return;
            }
            Outbox.Message message = claimed.get();
            Preferences prefs = preferences.of(message.recipientPersonId());
            ChannelMessage outgoing = new ChannelMessage(message.id(), message.notificationId(), message.urgent(), message.createdAt());
            try {
                if (message.channel() == Outbox.Channel.EMAIL) {
                    if (email == null || prefs.email() == null) {
                        outbox.failed(message, email == null ? "no mail server configured" : "no e-mail address any more", null);
                        continue;
                    }
                    email.send(prefs.email(), outgoing);
                } else {
                    if (prefs.webhookUrl() == null) {
                        outbox.failed(message, "no webhook any more", null);
                        continue;
                    }
                    // checked again before each send: a name can come to resolve into the service's own network
                    Optional<WebhookAddresses.Refusal> refused = webhookAddresses.refusal(prefs.webhookUrl());
                    if (refused.isPresent() && refused.get().lasting()) {
                        outbox.failed(message, "webhook address refused", null);
                        continue;
                    }
                    if (refused.isPresent()) {
                        throw new UnknownHostException("webhook host not found");
                    }
                    webhooks.send(prefs.webhookUrl(), prefs.webhookSecret(), outgoing, clock.instant().getEpochSecond());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // only the failure's class: an SMTP server's answer can carry the address
                int attempt = message.attempts() + 1;
                Instant next = attempt >= maxAttempts ? null : clock.instant().plus(backoff(attempt));
                if (next == null) {
                    log.warn("dead-lettered {} after {} attempts: {}", message.id(), attempt, e.getClass().getName());
                }
                outbox.failed(message, e.getClass().getName(), next);
                continue;
            }
            // sent: a failure to record it is not a failed attempt; the claim runs out and it is sent once more
            outbox.sent(message);
        }
    }

    /** The wait before the attempt after {@code attempt} failed ones, from Spring's exponential backoff. */
    static Duration backoff(int attempt) {
        ExponentialBackOff policy = new ExponentialBackOff(FIRST_RETRY.toMillis(), 2.0);
        policy.setMaxInterval(LONGEST_WAIT.toMillis());
        BackOffExecution waits = policy.start();
        long wait = waits.nextBackOff();
        for (int failed = 1; failed < attempt; failed++) {
            wait = waits.nextBackOff();
        }
        return Duration.ofMillis(wait);
    }
}
