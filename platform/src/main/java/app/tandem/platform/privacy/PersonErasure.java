package app.tandem.platform.privacy;

import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PersonErasureRequested;
import app.tandem.events.v1.PersonalDataErased;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.kafka.IntegrationEventHandler;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This service's part of an erasure: it destroys the person's key first, so nothing of theirs can be decrypted from
 * then on (not even by a processor that lags behind), then removes every row its features hold about them, then
 * confirms. Requests and confirmations share {@value #TOPIC}, which every service reads, so none reads another's
 * busy topic for them. Run again for a redelivered request, it does the same and confirms again.
 */
public class PersonErasure implements IntegrationEventHandler, AutoCloseable {

    public static final String TOPIC = "tandem.privacy.v1";

    private final String service;
    private final List<PersonalData> stores;
    private final Optional<PersonalDataCipher> cipher;
    private final Producer<String, byte[]> producer;
    private final Clock clock;

    public PersonErasure(String service, List<PersonalData> stores, Optional<PersonalDataCipher> cipher,
                         Producer<String, byte[]> producer, Clock clock) {
        this.service = service;
        this.stores = List.copyOf(stores);
        this.cipher = cipher;
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public Set<String> topics() {
        return Set.of(TOPIC);
    }

    @Override
    public void handle(EventEnvelope envelope) {
        if (!envelope.getPayload().is(PersonErasureRequested.class)) {
            return;
        }
        PersonErasureRequested request = unpack(envelope);
        cipher.ifPresent(c -> c.erase(request.getPersonId()));
        stores.forEach(store -> store.erase(request.getPersonId()));
        confirm(request);
    }

    private void confirm(PersonErasureRequested request) {
        PersonalDataErased erased = PersonalDataErased.newBuilder().setErasureId(request.getErasureId())
                .setRound(request.getRound()).setPersonId(request.getPersonId()).setService(service)
                .setErasedAt(Timestamps.of(clock.instant())).build();
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId(request.getErasureId() + "/" + request.getRound() + "/" + service)
                .setEventType(erased.getDescriptorForType().getFullName()).setSchemaVersion(1)
                .setSubjectPersonId(request.getPersonId()).setOccurredAt(erased.getErasedAt())
                .setPayload(Any.pack(erased)).build();
        try {
            // the offset of the request is committed only once the confirmation is in the log
            producer.send(new ProducerRecord<>(TOPIC, request.getPersonId(), envelope.toByteArray())).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while confirming an erasure", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not confirm an erasure", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static PersonErasureRequested unpack(EventEnvelope envelope) {
        try {
            return envelope.getPayload().unpack(PersonErasureRequested.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + envelope.getEventType(), e);
        }
    }
}
