package app.tandem.notifications.delivery;

import app.tandem.notifications.NotificationsProperties;
import app.tandem.notifications.channels.Outbox;
import app.tandem.notifications.delivery.PromptPolicy.Decision;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.PreferenceStore;
import app.tandem.notifications.preferences.Preferences;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Where every prompt goes: pushed now (inbox stream, e-mail, webhook), held for a digest, or dropped because the
 * person muted its kind. A prompt already delivered or held is never handled again, so a redelivered event has
 * no second effect.
 */
@Component
public class Dispatcher {

    private final Inbox inbox;
    private final HeldPrompts held;
    private final PreferenceStore preferences;
    private final Outbox outbox;
    private final Snoozes snoozes;
    private final PushBudgets budgets;
    private final Clock clock;
    private final int urgentPerHour;
    private final int partnerPerHour;
    private final MeterRegistry metrics;

    public Dispatcher(Inbox inbox, HeldPrompts held, PreferenceStore preferences, Outbox outbox, Snoozes snoozes, PushBudgets budgets, Clock clock,
                      NotificationsProperties properties, MeterRegistry metrics) {
        this.metrics = metrics;
        this.inbox = inbox;
        this.held = held;
        this.preferences = preferences;
        this.outbox = outbox;
        this.snoozes = snoozes;
        this.budgets = budgets;
        this.clock = clock;
        this.urgentPerHour = properties.urgentPerHour();
        this.partnerPerHour = properties.partnerPromptsPerHour();
    }

    public void dispatch(Inbox.Draft draft) {
        dispatch(draft, preferences.of(draft.recipientPersonId()));
    }

    /** As above, with the recipient's preferences already read. */
    public void dispatch(Inbox.Draft draft, Preferences prefs) {
        String id = draft.notificationId();
        // only quiet hours and a daily cap hold prompts back, so for anyone without them there is nothing to look up;
        // one who turned them off since a redelivered prompt was held gets it now, and its digest leaves it out
        if (PromptPolicy.canHold(prefs) && held.contains(id)) {
            return; // waiting for its digest already
        }
        String recipient = draft.recipientPersonId();
        Instant now = clock.instant();
        Decision decision = PromptPolicy.decide(prefs, draft.kind(), now,
                () -> inbox.pushedSince(recipient, PromptPolicy.startOfToday(prefs, now)), senderOf(draft, now));
        if (decision instanceof Decision.Push) {
            push(draft, prefs);
        } else if (decision instanceof Decision.Hold hold && !inbox.contains(id)) {
            held.hold(draft, hold.until());
        } else if (decision instanceof Decision.Fold) {
            inbox.deliver(draft, PromptPolicy.isUrgent(draft.kind()), true);
        }
        count(draft.kind(), decision);
    }

    /**
     * Each decision by the prompt's kind and what became of it (pushed, held for quiet hours or the daily cap, folded
     * into a digest by a snooze or the partner's budget, dropped as muted); a redelivered event is counted again.
     */
    private void count(NotificationKind kind, Decision decision) {
        String outcome = decision instanceof Decision.Push ? "pushed"
                : decision instanceof Decision.Hold ? "held"
                : decision instanceof Decision.Fold ? "folded" : "dropped";
        metrics.counter("tandem.prompts", "kind", kind.name().toLowerCase(Locale.ROOT), "outcome", outcome).increment();
    }

    /**
     * Listed in the inbox for the recipient's next visit, dated by its day, and never pushed (no stream, e-mail or
     * webhook), whatever their preferences: for news whose moment the recipient is not to learn, such as a partner
     * leaving.
     */
    public void listForNextVisit(Inbox.Draft draft) {
        inbox.listForNextVisit(draft);
    }

    private PromptPolicy.Sender senderOf(Inbox.Draft draft, Instant now) {
        if (!PromptPolicy.FROM_PARTNER.contains(draft.kind())) {
            return PromptPolicy.Sender.NONE;
        }
        String recipient = draft.recipientPersonId();
        boolean urgent = PromptPolicy.isUrgent(draft.kind());
        return new PromptPolicy.Sender(snoozes.snoozed(recipient, draft.coupleId(), now),
                () -> budgets.take(recipient, draft.coupleId(), urgent, now, urgent ? urgentPerHour : partnerPerHour));
    }

    /**
     * The inbox keeps each notification once, so a redelivered event delivers nothing twice. Its e-mail and webhook
     * are queued once per notification: again after a redelivery (a crash may have come between the two), unless
     * the notification was folded into a digest meanwhile.
     */
    private void push(Inbox.Draft draft, Preferences prefs) {
        boolean urgent = PromptPolicy.isUrgent(draft.kind());
        if (inbox.deliver(draft, urgent, false) || inbox.pushed(draft.notificationId())) {
            outbox.enqueue(draft.notificationId(), draft.recipientPersonId(), urgent, prefs);
        }
    }

    /**
     * Folds the prompts whose quiet hours or cap ended into one digest per person and moment, one replica per
     * digest. Each step is keyed, so a crash half-way is finished by the next run without doubling anything. A held
     * prompt that was pushed meanwhile (its event came again after the person turned quiet hours and the cap off)
     * is not counted again.
     */
    public void releaseDigests() {
        for (HeldPrompts.Digest digest : held.due(clock.instant(), 500)) {
            int count = 0;
            for (HeldPrompts.Held item : digest.prompts()) {
                if (inbox.deliver(item.draft(), false, true) || !inbox.pushed(item.draft().notificationId())) {
                    count++;
                }
            }
            if (count > 0) {
                Inbox.Draft summary = new Inbox.Draft("digest:" + digest.until().toEpochMilli(), digest.recipient(), NotificationKind.DIGEST, "",
                        "While you were away", count == 1 ? "1 update is waiting for you." : count + " updates are waiting for you.", null);
                push(summary, preferences.of(digest.recipient()));
            }
            held.released(digest);
        }
    }
}
