package app.tandem.platform.privacy;

import app.tandem.devservers.DevServers;
import app.tandem.platform.axon.TandemSerializers;
import app.tandem.platform.crypto.PersonalDataCipher;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Personal facts in stored events, sealed under their owner's key through the real driver and Mongo-wire server. */
class PersonalFactsSerializerTest {

    public record Facts(int mood, List<String> substances) {
    }

    public record Reported(String reportId, String personId, @PersonalFacts(owner = "personId") Facts facts) {
    }

    public record Plain(String id, int count) {
    }

    private static MongoClient client;
    private PersonalDataCipher cipher;
    private PersonalFactsSerializer serializer;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(DevServers.shared().mongoUri());
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void setUp() {
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        cipher = new PersonalDataCipher(client.getDatabase("facts-" + UUID.randomUUID()), masterKey);
        Jackson3Serializer json = (Jackson3Serializer) TandemSerializers.json();
        serializer = new PersonalFactsSerializer(json, json.getObjectMapper(), cipher);
    }

    @Test
    void factsAreStoredSealedAndReadBackWhole() {
        Reported reported = new Reported("r1", "alex", new Facts(4, List.of("OPIOIDS")));

        SerializedObject<byte[]> stored = serializer.serialize(reported, byte[].class);

        String text = new String(stored.getData(), StandardCharsets.UTF_8);
        assertThat(text).contains("\"reportId\":\"r1\"", "\"personId\":\"alex\"").doesNotContain("OPIOIDS", "mood");
        assertThat(stored.getType().getName()).isEqualTo(Reported.class.getName());
        assertThat((Reported) serializer.deserialize(stored)).isEqualTo(reported);
    }

    @Test
    void onceTheOwnerIsErasedTheFactsReadAsNullAndTheRestStays() {
        SerializedObject<byte[]> stored = serializer.serialize(new Reported("r1", "alex", new Facts(4, List.of("OPIOIDS"))), byte[].class);
        SerializedObject<byte[]> othersStored = serializer.serialize(new Reported("r2", "sam", new Facts(2, List.of())), byte[].class);

        cipher.erase("alex");

        assertThat((Reported) serializer.deserialize(stored)).isEqualTo(new Reported("r1", "alex", null));
        assertThat((Reported) serializer.deserialize(othersStored)).isEqualTo(new Reported("r2", "sam", new Facts(2, List.of())));
    }

    @Test
    void aPersonWhoCameBackAfterAnErasureHasANewKeyThatOpensNothingOfBefore() {
        SerializedObject<byte[]> before = serializer.serialize(new Reported("r1", "alex", new Facts(4, List.of("OPIOIDS"))), byte[].class);
        cipher.erase("alex");

        SerializedObject<byte[]> after = serializer.serialize(new Reported("r2", "alex", new Facts(3, List.of())), byte[].class);

        assertThat((Reported) serializer.deserialize(before)).isEqualTo(new Reported("r1", "alex", null));
        assertThat((Reported) serializer.deserialize(after)).isEqualTo(new Reported("r2", "alex", new Facts(3, List.of())));
    }

    @Test
    void aComponentStoredBeforeItWasSealedIsReadAsItIs() {
        byte[] legacy = "{\"reportId\":\"r0\",\"personId\":\"alex\",\"facts\":{\"mood\":2,\"substances\":[]}}".getBytes(StandardCharsets.UTF_8);
        SerializedObject<byte[]> stored = new org.axonframework.serialization.SimpleSerializedObject<>(legacy, byte[].class,
                serializer.typeForClass(Reported.class));

        assertThat((Reported) serializer.deserialize(stored)).isEqualTo(new Reported("r0", "alex", new Facts(2, List.of())));
    }

    @Test
    void eventsWithoutPersonalFactsAreStoredAsTheyAre() {
        SerializedObject<byte[]> stored = serializer.serialize(new Plain("p1", 3), byte[].class);

        assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).contains("\"count\":3");
        assertThat((Plain) serializer.deserialize(stored)).isEqualTo(new Plain("p1", 3));
    }
}
