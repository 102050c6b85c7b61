package app.tandem.platform.kafka;

import com.google.protobuf.Message;

/** One public fact a stored domain event becomes, addressed by the couple it belongs to. */
public record IntegrationEvent(String coupleId, String subjectPersonId, Message payload) {

    /** The Kafka key: the couple, so its events stay in order; the person for the few facts that belong to no couple. */
    public String key() {
        return coupleId != null ? coupleId : subjectPersonId;
    }
}
