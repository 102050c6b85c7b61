package app.tandem.plans.membership;

import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.testkit.EmbeddedStack;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who is in which couple, as plans-service learns it: an erasure takes the person out and leaves the partner alone in
 * a dissolved couple at once, whether the journal's {@code CoupleDissolved} came before it or comes after it.
 */
class CouplePartnersTest {

    private static MongoClient client;
    private static CouplePartners couples;

    @BeforeAll
    static void start() {
        client = MongoClients.create(EmbeddedStack.shared().mongoUri());
        couples = new CouplePartners(client.getDatabase("couple-partners-test-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void anErasedPersonLeavesTheirPartnerInADissolvedCoupleBeforeTheJournalSaysSo() {
        String couple = UUID.randomUUID().toString();
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        formed(couple, alex, sam);
        assertThat(couples.requireSharedBy(couple, sam).partners()).containsExactlyInAnyOrder(alex, sam);

        couples.erase(alex);

        assertThat(couples.requireMember(couple, sam)).satisfies(seen -> {
            assertThat(seen.partners()).containsExactly(sam);
            assertThat(seen.dissolved()).isTrue();
        });
        assertThatThrownBy(() -> couples.requireSharedBy(couple, sam)).isInstanceOf(AccessDenied.class);
        assertThat(couples.couplesOf(alex)).isEmpty();

        couples.handle(envelope(CoupleDissolved.newBuilder().setCoupleId(couple).setRemainingPersonId(sam).build()));
        couples.erase(alex);
        assertThat(couples.find(couple)).hasValue(new CouplePartners.Couple(couple, java.util.List.of(sam), true));
    }

    @Test
    void anErasureAfterTheJournalSaidTheCoupleDissolvedLeavesItSo() {
        String couple = UUID.randomUUID().toString();
        String alex = "alex-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();
        formed(couple, alex, sam);
        couples.handle(envelope(CoupleDissolved.newBuilder().setCoupleId(couple).setRemainingPersonId(sam).build()));

        couples.erase(alex);

        assertThat(couples.find(couple)).hasValue(new CouplePartners.Couple(couple, java.util.List.of(sam), true));
    }

    @Test
    void aFounderErasedBeforeAnyoneJoinedLeavesAnEmptyDissolvedCouple() {
        String couple = UUID.randomUUID().toString();
        String alex = "alex-" + UUID.randomUUID();
        couples.handle(envelope(CoupleCreated.newBuilder().setCoupleId(couple).setFounderPersonId(alex).build()));

        couples.erase(alex);

        assertThat(couples.find(couple)).hasValue(new CouplePartners.Couple(couple, java.util.List.of(), true));
        assertThatThrownBy(() -> couples.requireMember(couple, alex)).isInstanceOf(AccessDenied.class);
    }

    @Test
    void anErasureTouchesNoOtherCouple() {
        String couple = UUID.randomUUID().toString();
        String jo = "jo-" + UUID.randomUUID();
        String kim = "kim-" + UUID.randomUUID();
        formed(couple, jo, kim);

        couples.erase("someone-else-" + UUID.randomUUID());

        assertThat(couples.requireSharedBy(couple, kim).partners()).containsExactlyInAnyOrder(jo, kim);
    }

    /** The journal's events of a couple founded by {@code founder} and joined by {@code partner}. */
    private static void formed(String couple, String founder, String partner) {
        couples.handle(envelope(CoupleCreated.newBuilder().setCoupleId(couple).setFounderPersonId(founder).build()));
        couples.handle(envelope(PartnerJoined.newBuilder().setCoupleId(couple).setPersonId(partner).build()));
    }

    private static EventEnvelope envelope(Message payload) {
        return EventEnvelope.newBuilder().setEventId(UUID.randomUUID().toString())
                .setEventType(payload.getDescriptorForType().getFullName()).setPayload(Any.pack(payload)).build();
    }
}
