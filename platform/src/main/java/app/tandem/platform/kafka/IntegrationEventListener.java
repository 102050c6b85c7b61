package app.tandem.platform.kafka;

import app.tandem.events.v1.EventEnvelope;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

import java.util.List;

/**
 * Turns a record into an envelope and hands it to the handlers of its topic. A record that cannot be an integration
 * event (no value, not an envelope, a payload of a type the protocol does not define) is {@link Failures.UnreadableRecord}.
 */
final class IntegrationEventListener implements MessageListener<String, byte[]> {

    private static final String TYPE_PREFIX = "type.googleapis.com/";

    private final List<IntegrationEventHandler> handlers;

    IntegrationEventListener(List<IntegrationEventHandler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        deliver(record.topic(), record.value());
    }

    void deliver(String topic, byte[] value) {
        EventEnvelope envelope = read(value);
        for (IntegrationEventHandler handler : handlers) {
            if (handler.topics().contains(topic)) {
                handler.handle(envelope);
            }
        }
    }

    private static EventEnvelope read(byte[] value) {
        if (value == null || value.length == 0) {
            throw new Failures.UnreadableRecord("a record without a value");
        }
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new Failures.UnreadableRecord("a record that is not an event envelope");
        }
        String type = envelope.getPayload().getTypeUrl();
        if (!type.startsWith(TYPE_PREFIX) || !isKnown(type.substring(TYPE_PREFIX.length()))) {
            throw new Failures.UnreadableRecord("a payload of no type the protocol defines: " + type);
        }
        return envelope;
    }

    private static boolean isKnown(String fullName) {
        for (Descriptors.FileDescriptor file : EventTypes.FILES) {
            String prefix = file.getPackage() + ".";
            if (fullName.startsWith(prefix) && file.findMessageTypeByName(fullName.substring(prefix.length())) != null) {
                return true;
            }
        }
        return false;
    }
}
