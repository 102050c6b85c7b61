package app.tandem.platform.kafka;

import com.google.protobuf.Message;

/**
 * One public fact a stored domain event becomes, addressed by the couple it belongs to. It goes to the service's own
 * topic, or to {@code topic} for a flow that every service takes part in (an erasure request on the privacy topic).
 */
public record IntegrationEvent(String coupleId, String subjectPersonId, Message payload, String topic) {

    public IntegrationEvent(String coupleId, String subjectPersonId, Message payload) {
        this(coupleId, subjectPersonId, payload, null);
    }

    /** The topic it is published on: its own, or else the publishing service's. */
    public String topicOr(String servicesTopic) {
        return topic != null ? topic : servicesTopic;
    }

    /** The Kafka key: the couple, so its events stay in order; the person for the few facts that belong to no couple. */
    public String key() {
        return coupleId != null ? coupleId : subjectPersonId;
    }
}
