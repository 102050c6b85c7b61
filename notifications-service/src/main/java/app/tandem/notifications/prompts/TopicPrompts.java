package app.tandem.notifications.prompts;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;

import java.util.Set;

/** Turns the events of one topic into prompts; a payload it cannot read is malformed, one it does not know is ignored. */
abstract class TopicPrompts implements IntegrationEventHandler {

    private final String topic;
    protected final Dispatcher dispatcher;

    TopicPrompts(String topic, Dispatcher dispatcher) {
        this.topic = topic;
        this.dispatcher = dispatcher;
    }

    @Override
    public final Set<String> topics() {
        return Set.of(topic);
    }

    @Override
    public final void handle(EventEnvelope envelope) {
        try {
            onEvent(envelope.getEventId(), envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }

    protected abstract void onEvent(String eventId, Any payload) throws InvalidProtocolBufferException;

    /** A prompt with no check-in to open, to a recipient the event names; an event that names none prompts nobody. */
    protected void prompt(String eventId, String recipient, NotificationKind kind, String coupleId, String title, String body) {
        if (!recipient.isEmpty()) {
            dispatcher.dispatch(new Inbox.Draft(eventId, recipient, kind, coupleId, title, body, null));
        }
    }
}
