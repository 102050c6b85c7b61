package app.tandem.journal.erasure;

import app.tandem.events.v1.PersonalDataErased;
import app.tandem.journal.erasure.ErasureCommands.ConfirmErasure;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEventHandler;
import app.tandem.platform.privacy.PersonErasure;
import app.tandem.events.v1.EventEnvelope;
import com.google.protobuf.InvalidProtocolBufferException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Each service's confirmation that it erased the person, carried to the erasure; redelivery changes nothing. */
@Component
public class ErasureConfirmations implements IntegrationEventHandler {

    private final CommandGateway commands;

    public ErasureConfirmations(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public Set<String> topics() {
        return Set.of(PersonErasure.TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        if (!envelope.getPayload().is(PersonalDataErased.class)) {
            return;
        }
        try {
            PersonalDataErased erased = envelope.getPayload().unpack(PersonalDataErased.class);
            commands.sendAndWait(new ConfirmErasure(erased.getErasureId(), erased.getRound(), erased.getService(),
                    Timestamps.toInstant(erased.getErasedAt())));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }
}
