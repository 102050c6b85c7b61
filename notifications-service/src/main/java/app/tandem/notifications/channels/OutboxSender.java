package app.tandem.notifications.channels;

import app.tandem.notifications.NotificationsProperties;
import app.tandem.notifications.preferences.ConfirmationCodes;
import app.tandem.notifications.preferences.Contact;
import app.tandem.notifications.preferences.ContactChallenges;
import app.tandem.notifications.preferences.PreferenceStore;
import app.tandem.notifications.preferences.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends what the outbox holds, each message claimed first, so replicas sharing the outbox never send one message
 * at once. E-mails are sent one after another on the e-mail poller's thread; webhooks are claimed on their own
 * poller and sent on {@link WebhookSends}, at most a few per host at once: a message whose host is at its limit is
 * put back without counting an attempt, never dropped and never sent twice; so is one whose address (however many
 * names point there) is at its limit, or whose host could not be looked up now. Each time a message is put back it
 * waits longer ({@link #deferWait}), and claims pass over hosts known busy, so a busy host's backlog costs little and
 * delays no one else's messages. A failed attempt is
 * retried with exponential backoff (1 s, 2 s, 4 s, ... at most 5 minutes apart); after {@code maxAttempts} the
 * message is dead-lettered for an operator, never dropped silently.
 */
@Component
public class OutboxSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
    /** How long a message waits when its webhook's host already has as many sends running as it may. */
    static final Duration HOST_BUSY_WAIT = Duration.ofSeconds(1);
    /** The longest a message is put back for at once, however often it was. */
    static final Duration LONGEST_DEFERRAL = Duration.ofMinutes(1);
    /** Busy hosts a claim passes over at most, so the query stays small. */
    private static final int BUSY_HOSTS_PASSED_OVER = 100;

    private final Outbox outbox;
    private final PreferenceStore preferences;
    private final ContactChallenges challenges;
    private final ConfirmationCodes codes;
    private final EmailChannel email;
    private final WebhookChannel webhooks;
    private final WebhookSends webhookSends;
    private final WebhookAddresses webhookAddresses;
    private final Clock clock;
    private final int maxAttempts;

    public OutboxSender(Outbox outbox, PreferenceStore preferences, ContactChallenges challenges, ConfirmationCodes codes,
                        ObjectProvider<JavaMailSender> mail, Clock clock, NotificationsProperties properties,
                        WebhookAddresses webhookAddresses) {
        this.outbox = outbox;
        this.preferences = preferences;
        this.challenges = challenges;
        this.codes = codes;
        this.webhookAddresses = webhookAddresses;
        JavaMailSender sender = mail.getIfAvailable();
        this.email = sender == null ? null : new EmailChannel(sender, properties.mailFrom());
        this.webhooks = new WebhookChannel(webhookAddresses, properties.webhookConnectTimeout(), properties.webhookResponseTimeout(),
                properties.webhookSendsPerHost(), properties.webhookSends());
        this.webhookSends = new WebhookSends(properties.webhookSends(), properties.webhookSendsPerHost());
        this.clock = clock;
        this.maxAttempts = properties.maxAttempts();
    }

    /** What one message asks for: where it goes, and what it says. */
    private record Outgoing(String address, Preferences prefs, ChannelMessage message) {
    }

    /** Sends the e-mails that are due, at most {@code limit}, one after another. */
    public void sendDueEmails(int limit) {
        for (int sent = 0; sent < limit && !Thread.currentThread().isInterrupted(); sent++) {
            Optional<Outbox.Message> claimed = outbox.claimNext(Outbox.Channel.EMAIL);
            if (claimed.isEmpty()) {
                return;
            }
            Outbox.Message message = claimed.get();
            Optional<Outgoing> outgoing = outgoing(message);
            if (outgoing.isEmpty()) {
                continue;
            }
            if (email == null) {
                outbox.failed(message, "no mail server configured", null);
                continue;
            }
            try {
                email.send(outgoing.get().address(), outgoing.get().message());
            } catch (Exception e) {
                failed(message, e);
                continue;
            }
            // sent: a failure to record it is not a failed attempt; the claim runs out and it is sent once more
            outbox.sent(message);
        }
    }

    /**
     * Starts the webhooks that are due on their own threads, at most {@code limit} looked at, while there is room;
     * returns without waiting for them.
     */
    public void startDueWebhooks(int limit) {
        for (int looked = 0; looked < limit && webhookSends.hasRoom() && !Thread.currentThread().isInterrupted(); looked++) {
            Optional<Outbox.Message> claimed = outbox.claimNext(Outbox.Channel.WEBHOOK, webhookSends.busyHosts(BUSY_HOSTS_PASSED_OVER));
            if (claimed.isEmpty()) {
                return;
            }
            Outbox.Message message = claimed.get();
            Optional<Outgoing> outgoing = outgoing(message);
            if (outgoing.isEmpty()) {
                continue;
            }
            String url = outgoing.get().address();
            Optional<WebhookAddresses.Refusal> form = webhookAddresses.formRefusal(url);
            if (form.isPresent()) {
                outbox.failed(message, "webhook address refused", null);
                continue;
            }
            String host = URI.create(url).getHost().toLowerCase(Locale.ROOT);
            if (!webhookSends.tryStart(host, () -> sendWebhook(message, host, outgoing.get()))) {
                defer(message);
            }
        }
    }

    /** Back for later without counting an attempt, each time a little later than the last, up to a minute. */
    private void defer(Outbox.Message message) {
        outbox.deferred(message, clock.instant().plus(deferWait(message.deferrals())));
    }

    static Duration deferWait(int deferralsBefore) {
        Duration wait = HOST_BUSY_WAIT.multipliedBy(1L << Math.min(deferralsBefore, 10));
        return wait.compareTo(LONGEST_DEFERRAL) > 0 ? LONGEST_DEFERRAL : wait;
    }

    private void sendWebhook(Outbox.Message message, String host, Outgoing outgoing) {
        InetAddress address = null;
        try {
            // the connection goes to an address this lookup checked, and that address must have room too
            address = webhookAddresses.checkedAddressesOf(host)[0];
            if (!webhookSends.tryHoldAddress(address)) {
                address = null;
                record(message, () -> defer(message));
                return;
            }
            webhooks.send(outgoing.address(), address, outgoing.prefs().webhookSecret(), outgoing.message().json(),
                    outgoing.message().deliveryId(), clock.instant().getEpochSecond());
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // shutting down: the claim runs out and another replica, or this one restarted, sends it
            }
            record(message, () -> {
                if (SendFailures.lookupBusy(e)) {
                    defer(message); // says nothing about the webhook: no attempt counted, never dead-lettered for it
                } else if (SendFailures.refusedForGood(e)) {
                    outbox.failed(message, SendFailures.codeOf(e), null); // it now resolves into a network it may not reach
                } else {
                    failed(message, e);
                }
            });
            return;
        } finally {
            if (address != null) {
                webhookSends.releaseAddress(address);
            }
        }
        record(message, () -> outbox.sent(message));
    }

    /** A send's outcome; one that cannot be stored leaves the claim to run out, and the message is sent again then. */
    private static void record(Outbox.Message message, Runnable outcome) {
        try {
            outcome.run();
        } catch (RuntimeException e) {
            log.warn("could not record the outcome of {}: {}", logged(message), e.getClass().getName());
        }
    }

    /**
     * Where the message goes and what it says; empty, and the message finished, if it should not go at all: its
     * contact was removed, changed since, or is not confirmed; its challenge was replaced by a newer one.
     */
    private Optional<Outgoing> outgoing(Outbox.Message message) {
        Contact contact = message.contact();
        Preferences prefs = preferences.of(message.recipientPersonId());
        String address = prefs.address(contact);
        if (address == null) {
            outbox.failed(message, "no such contact any more", null);
            return Optional.empty();
        }
        if (message.challengeId() != null) {
            // a code goes only to the address its challenge is for, never to one set since
            if (!challenges.answerable(message.recipientPersonId(), contact, address).filter(message.challengeId()::equals).isPresent()) {
                outbox.failed(message, "challenge replaced or closed", null);
                return Optional.empty();
            }
            String code = codes.codeFor(message.recipientPersonId(), contact, message.challengeId());
            return Optional.of(new Outgoing(address, prefs, ChannelMessage.challenge(message.id(), code, message.createdAt())));
        }
        if (!prefs.confirmed(contact)) {
            outbox.failed(message, "contact not confirmed", null); // changed to an address not confirmed since it was queued
            return Optional.empty();
        }
        return Optional.of(new Outgoing(address, prefs,
                ChannelMessage.update(message.id(), message.notificationId(), message.urgent(), message.createdAt())));
    }

    /** A message as logs name it: its event (or challenge) and channel, never the person it is for. */
    static String logged(Outbox.Message message) {
        String notification = message.notificationId();
        int personFrom = notification.indexOf('/');
        return (personFrom < 0 ? notification : notification.substring(0, personFrom)) + " " + message.channel().name();
    }

    /** Another attempt later, or a dead letter; only the failure's class and code are kept, never its message. */
    private void failed(Outbox.Message message, Exception e) {
        int attempt = message.attempts() + 1;
        Instant next = attempt >= maxAttempts ? null : clock.instant().plus(backoff(attempt));
        String code = SendFailures.codeOf(e);
        if (next == null) {
            log.warn("dead-lettered {} after {} attempts: {}", logged(message), attempt, code);
        }
        outbox.failed(message, code, next);
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

    @Override
    public void close() throws Exception {
        webhookSends.close();
        webhooks.close();
    }
}
