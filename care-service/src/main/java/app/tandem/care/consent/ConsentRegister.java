package app.tandem.care.consent;

import app.tandem.care.consent.ConsentEvents.ConsentExpired;
import app.tandem.care.consent.ConsentEvents.ConsentExpiryNear;
import app.tandem.care.consent.ConsentEvents.ConsentPrepared;
import app.tandem.care.consent.ConsentEvents.ConsentRevoked;
import app.tandem.care.consent.ConsentEvents.ConsentSigned;
import app.tandem.care.consent.ConsentEvents.ConsentSuperseded;
import app.tandem.platform.grpc.Requests;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;

/**
 * Every version of every consent, as partners read them and as disclosures check them. Updated with the command
 * (a subscribing processor): the moment a revocation returns, no stream or read discloses anything more under it.
 * Each write sets what its event says and nothing else, so applying an event again changes nothing.
 */
@Component
@ProcessingGroup(ConsentRegister.PROCESSOR)
public class ConsentRegister {

    public static final String PROCESSOR = "consent-register";

    public enum Status {
        PREPARED,
        IN_FORCE,
        SUPERSEDED,
        REVOKED,
        EXPIRED
    }

    public record ConsentVersion(String consentId, int version, Status status, ConsentTerms terms, String text, String textSha256,
                                 Instant preparedAt, Instant signedAt, Instant endedAt) {

        /** In force at {@code now}: signed, not ended, and its date not passed, even if the expiry schedule is late. */
        public boolean inForceAt(Instant now) {
            return status == Status.IN_FORCE && terms.runsAt(now);
        }
    }

    /** One consent per patient and counselor, in versions; its id says nothing about either. */
    public static String idOf(String patient, String counselor) {
        return Requests.deterministicId("consent", patient, counselor);
    }

    private static final String PATIENT = "patient";
    private static final String COUNSELOR = "counselor";
    private static final String STATUS = "status";
    private static final String EXPIRES_AT = "expiresAt";

    private final MongoCollection<Document> versions;

    public ConsentRegister(MongoDatabase database) {
        this.versions = database.getCollection("consent_versions");
        versions.createIndex(Indexes.ascending(PATIENT, STATUS));
        versions.createIndex(Indexes.ascending(COUNSELOR, STATUS));
        versions.createIndex(Indexes.ascending(STATUS, EXPIRES_AT));
        versions.createIndex(Indexes.ascending("consentId", "version"));
    }

    @EventHandler
    void on(ConsentPrepared event) {
        ConsentTerms terms = event.terms();
        Document fields = new Document("consentId", event.consentId())
                .append("version", event.version())
                .append(STATUS, Status.PREPARED.name())
                .append(PATIENT, terms.patientPersonId())
                .append(COUNSELOR, terms.counselorPersonId())
                .append("organisation", terms.organisation())
                .append("purpose", terms.purpose().name())
                .append("scopes", terms.scopes().stream().map(Enum::name).toList())
                .append(EXPIRES_AT, date(terms.expiresAt()))
                .append("untilTreatmentEnds", terms.untilTreatmentEnds())
                .append("text", event.text())
                .append("textSha256", event.textSha256())
                .append("preparedAt", date(event.preparedAt()));
        // a version's terms never change: only its first recording writes them
        versions.updateOne(eq("_id", id(event.consentId(), event.version())), new Document("$setOnInsert", fields),
                new UpdateOptions().upsert(true));
    }

    @EventHandler
    void on(ConsentSigned event) {
        versions.updateOne(eq("_id", id(event.consentId(), event.version())),
                Updates.combine(Updates.set(STATUS, Status.IN_FORCE.name()), Updates.set("signedAt", date(event.signedAt()))));
    }

    @EventHandler
    void on(ConsentSuperseded event) {
        end(event.consentId(), event.version(), Status.SUPERSEDED, event.at());
    }

    @EventHandler
    void on(ConsentRevoked event) {
        end(event.consentId(), event.version(), Status.REVOKED, event.at());
    }

    @EventHandler
    void on(ConsentExpired event) {
        end(event.consentId(), event.version(), Status.EXPIRED, event.at());
    }

    @EventHandler
    void on(ConsentExpiryNear event) {
        versions.updateOne(eq("_id", id(event.consentId(), event.version())), Updates.set("warned", true));
    }

    private void end(String consentId, int version, Status status, Instant at) {
        versions.updateOne(eq("_id", id(consentId, version)),
                Updates.combine(Updates.set(STATUS, status.name()), Updates.set("endedAt", date(at))));
    }

    private static String id(String consentId, int version) {
        return consentId + ":" + version;
    }

    /** The version of {@code consentId} in force at {@code now}, if any. */
    public Optional<ConsentVersion> inForce(String consentId, Instant now) {
        return Optional.ofNullable(versions.find(and(eq("consentId", consentId), eq(STATUS, Status.IN_FORCE.name()))).first())
                .map(ConsentRegister::fromDocument).filter(version -> version.inForceAt(now));
    }

    public Optional<ConsentVersion> version(String consentId, int version) {
        return Optional.ofNullable(versions.find(eq("_id", id(consentId, version))).first()).map(ConsentRegister::fromDocument);
    }

    /** The latest version of {@code consentId}, whatever its state. */
    public Optional<ConsentVersion> latest(String consentId) {
        return Optional.ofNullable(versions.find(eq("consentId", consentId)).sort(Sorts.descending("version")).first())
                .map(ConsentRegister::fromDocument);
    }

    /** The patient's consents in force at {@code now}: whom their new items go to. */
    public List<ConsentVersion> inForceFor(String patient, Instant now) {
        return find(and(eq(PATIENT, patient), eq(STATUS, Status.IN_FORCE.name())), now);
    }

    /** The counselor's consents in force at {@code now}: their clients. */
    public List<ConsentVersion> clientsOf(String counselor, Instant now) {
        return find(and(eq(COUNSELOR, counselor), eq(STATUS, Status.IN_FORCE.name())), now);
    }

    /** Every version the patient prepared, newest first. */
    public List<ConsentVersion> versionsOf(String patient) {
        List<ConsentVersion> result = new ArrayList<>();
        versions.find(eq(PATIENT, patient)).sort(Sorts.orderBy(Sorts.descending("preparedAt"), Sorts.descending("version")))
                .forEach(d -> result.add(fromDocument(d)));
        return result;
    }

    /** Consents in force whose date is at or before {@code until}, and, unless {@code warnedToo}, not yet warned of. */
    public List<String> endingBy(Instant until, boolean warnedToo) {
        Bson due = and(eq(STATUS, Status.IN_FORCE.name()), lte(EXPIRES_AT, date(until)));
        List<String> result = new ArrayList<>();
        versions.find(warnedToo ? due : and(due, ne("warned", true))).forEach(d -> result.add(d.getString("consentId")));
        return result;
    }

    private List<ConsentVersion> find(Bson filter, Instant now) {
        List<ConsentVersion> result = new ArrayList<>();
        for (Document d : versions.find(filter)) {
            ConsentVersion version = fromDocument(d);
            if (version.inForceAt(now)) {
                result.add(version);
            }
        }
        return result;
    }

    private static ConsentVersion fromDocument(Document d) {
        ConsentTerms terms = new ConsentTerms(d.getString(PATIENT), d.getString(COUNSELOR), d.getString("organisation"),
                Purpose.valueOf(d.getString("purpose")), d.getList("scopes", String.class).stream().map(Scope::valueOf).toList(),
                instant(d.getDate(EXPIRES_AT)), d.getBoolean("untilTreatmentEnds", false));
        return new ConsentVersion(d.getString("consentId"), d.getInteger("version"), Status.valueOf(d.getString(STATUS)), terms,
                d.getString("text"), d.getString("textSha256"), instant(d.getDate("preparedAt")), instant(d.getDate("signedAt")),
                instant(d.getDate("endedAt")));
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
