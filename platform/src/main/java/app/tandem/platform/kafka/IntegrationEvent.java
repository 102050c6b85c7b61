package app.tandem.platform.kafka;

import com.google.protobuf.Message;

/** One public fact a stored domain event becomes, addressed by the couple it belongs to. */
public record IntegrationEvent(String coupleId, String subjectPersonId, Message payload) {
}
