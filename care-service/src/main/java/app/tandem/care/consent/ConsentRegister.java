package app.tandem.care.consent;

import app.tandem.care.consent.ConsentEvents.ConsentExpired;
import app.tandem.care.consent.ConsentEvents.ConsentExpiryNear;
import app.tandem.care.consent.ConsentEvents.ConsentPrepared;
import app.tandem.care.consent.ConsentEvents.ConsentRevoked;
import app.tandem.care.consent.ConsentEvents.ConsentSigned;
import app.tandem.care.consent.ConsentEvents.ConsentSuperseded;
import app.tandem.platform.crypto.Hmac;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

/**
 * Consents as partners list them and as disclosures check them: every version with its text ({@code consent_versions}),
 * and one document per consent saying which version is in force ({@code consents}), read by its id as each item
 * leaves. Written by {@link ConsentRegisterUpdates} with the command, so a revocation stops the very next disclosure,
 * and again by a tracking processor that fills in what a failed write or a crash left out. Each write carries the
 * event's sequence number and changes nothing an event as late or later already wrote.
 */
@Component
public class ConsentRegister {

    public enum Status {
        PREPARED,
        IN_FORCE,
        SUPERSEDED,
        REVOKED,
        EXPIRED
    }

    /** A version as the patient reads it. */
    public record ConsentVersion(String consentId, int version, Status status, ConsentTerms terms, String text, String textSha256,
                                 Instant preparedAt, Instant signedAt, Instant endedAt) {
    }

    /**
     * The version in force, and since when what it discloses has been consented to without a break: {@code chainStart}
     * is the version signed then, {@code since} when its signature was stored. Items stored before are not this consent's.
     */
    public record InForce(String consentId, int version, ConsentTerms terms, Instant signedAt, int chainStart, Instant since) {

        /** Its date not passed, even if the expiry schedule is late. */
        public boolean runsAt(Instant now) {
            return terms.runsAt(now);
        }
    }

    private static final String PATIENT = "patient";
    private static final String COUNSELOR = "counselor";
    private static final String STATUS = "status";
    private static final String EXPIRES_AT = "expiresAt";
    private static final String IN_FORCE = "inForce";
    private static final String SEQUENCE = "seq";

    private final MongoCollection<Document> versions;
    private final MongoCollection<Document> consents;
    private final byte[] idKey;

    public ConsentRegister(MongoDatabase database, ConsentIdKey idKey) {
        this.versions = database.getCollection("consent_versions");
        this.consents = database.getCollection("consents");
        this.idKey = idKey.key();
        versions.createIndex(Indexes.ascending(PATIENT, "preparedAt"));
        versions.createIndex(Indexes.ascending("consentId", "version"));
        consents.createIndex(Indexes.ascending(PATIENT));
        consents.createIndex(Indexes.ascending(COUNSELOR));
        consents.createIndex(Indexes.ascending(IN_FORCE + "." + EXPIRES_AT));
    }

    /** A key the consent ids derive from, so an id tells nothing to someone who knows both people. */
    public record ConsentIdKey(byte[] key) {
    }

    /** One consent per patient and counselor, in versions. */
    public String idOf(String patient, String counselor) {
        byte[] mac = Hmac.sha256(idKey, patient + "\u0000" + counselor);
        return UUID.nameUUIDFromBytes(HexFormat.of().formatHex(mac).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    void prepared(ConsentPrepared event, long sequence) {
        ConsentTerms terms = event.terms();
        Document fields = termsDocument(terms)
                .append("consentId", event.consentId())
                .append("version", event.version())
                .append(STATUS, Status.PREPARED.name())
                .append("text", event.text())
                .append("textSha256", event.textSha256())
                .append("preparedAt", date(event.preparedAt()))
                .append(SEQUENCE, sequence);
        // a version's terms never change: only its first recording writes them
        versions.updateOne(eq("_id", versionId(event.consentId(), event.version())), new Document("$setOnInsert", fields),
                new UpdateOptions().upsert(true));
        consents.updateOne(eq("_id", event.consentId()), new Document("$setOnInsert", new Document(PATIENT, terms.patientPersonId())
                .append(COUNSELOR, terms.counselorPersonId()).append("organisation", terms.organisation())), new UpdateOptions().upsert(true));
    }

    /** @param stored when the signature was stored, on the clock that stamps every stored event and integration event */
    void signed(ConsentSigned event, long sequence, Instant stored) {
        versions.updateOne(later(versionId(event.consentId(), event.version()), sequence), Updates.combine(
                Updates.set(STATUS, Status.IN_FORCE.name()), Updates.set("signedAt", date(event.signedAt())), Updates.set(SEQUENCE, sequence)));
        Document inForce = termsDocument(event.terms()).append("version", event.version()).append("signedAt", date(event.signedAt()));
        List<Bson> changes = new ArrayList<>(List.of(Updates.set(IN_FORCE, inForce), Updates.set(SEQUENCE, sequence)));
        if (!event.continuing()) {
            changes.add(Updates.set("chainStart", event.version()));
            changes.add(Updates.set("since", date(stored)));
        }
        consents.updateOne(later(event.consentId(), sequence), Updates.combine(changes));
    }

    void superseded(ConsentSuperseded event, long sequence) {
        // the consent stays in force under the version the same command signs next
        endVersion(event.consentId(), event.version(), Status.SUPERSEDED, event.at(), sequence);
    }

    void revoked(ConsentRevoked event, long sequence) {
        endVersion(event.consentId(), event.version(), Status.REVOKED, event.at(), sequence);
        consents.updateOne(later(event.consentId(), sequence), Updates.combine(Updates.set(IN_FORCE, null), Updates.set(SEQUENCE, sequence)));
    }

    void expired(ConsentExpired event, long sequence) {
        endVersion(event.consentId(), event.version(), Status.EXPIRED, event.at(), sequence);
        consents.updateOne(later(event.consentId(), sequence), Updates.combine(Updates.set(IN_FORCE, null), Updates.set(SEQUENCE, sequence)));
    }

    void warned(ConsentExpiryNear event, long sequence) {
        consents.updateOne(eq("_id", event.consentId()), Updates.set("warnedVersion", event.version()));
    }

    private void endVersion(String consentId, int version, Status status, Instant at, long sequence) {
        versions.updateOne(later(versionId(consentId, version), sequence), Updates.combine(
                Updates.set(STATUS, status.name()), Updates.set("endedAt", date(at)), Updates.set(SEQUENCE, sequence)));
    }

    /** The document, unless an event as late or later wrote it already. */
    private static Bson later(String id, long sequence) {
        return and(eq("_id", id), or(exists(SEQUENCE, false), lt(SEQUENCE, sequence)));
    }

    private static String versionId(String consentId, int version) {
        return consentId + ":" + version;
    }

    /** The version of {@code consentId} in force at {@code now}, if any. */
    public Optional<InForce> inForce(String consentId, Instant now) {
        return Optional.ofNullable(consents.find(eq("_id", consentId)).first()).flatMap(ConsentRegister::inForceOf)
                .filter(consent -> consent.runsAt(now));
    }

    /** The patient's consents in force at {@code now}: whom their new items go to. */
    public List<InForce> inForceFor(String patient, Instant now) {
        return inForce(and(eq(PATIENT, patient), ne(IN_FORCE, null)), now);
    }

    /** The counselor's consents in force at {@code now}: their clients. */
    public List<InForce> clientsOf(String counselor, Instant now) {
        return inForce(and(eq(COUNSELOR, counselor), ne(IN_FORCE, null)), now);
    }

    public Optional<ConsentVersion> version(String consentId, int version) {
        return Optional.ofNullable(versions.find(eq("_id", versionId(consentId, version))).first()).map(ConsentRegister::versionOf);
    }

    /** The latest version of {@code consentId}, whatever its state. */
    public Optional<ConsentVersion> latest(String consentId) {
        return Optional.ofNullable(versions.find(eq("consentId", consentId)).sort(Sorts.descending("version")).first())
                .map(ConsentRegister::versionOf);
    }

    /** Every version the patient prepared, newest first. */
    public List<ConsentVersion> versionsOf(String patient) {
        List<ConsentVersion> result = new ArrayList<>();
        versions.find(eq(PATIENT, patient)).sort(Sorts.orderBy(Sorts.descending("preparedAt"), Sorts.descending("version")))
                .forEach(d -> result.add(versionOf(d)));
        return result;
    }

    /**
     * Removes every consent the person gave as a patient, each version with its text. Consents that name them as the
     * counselor are their clients' records and stay.
     */
    public void erase(String patient) {
        versions.deleteMany(eq(PATIENT, patient));
        consents.deleteMany(eq(PATIENT, patient));
    }

    /** Consents in force whose date is at or before {@code until}, and, unless {@code warnedToo}, not yet warned of. */
    public List<String> endingBy(Instant until, boolean warnedToo) {
        List<String> result = new ArrayList<>();
        for (Document d : consents.find(lte(IN_FORCE + "." + EXPIRES_AT, date(until)))) {
            Document inForce = d.get(IN_FORCE, Document.class);
            if (warnedToo || !inForce.getInteger("version").equals(d.getInteger("warnedVersion"))) {
                result.add(d.getString("_id"));
            }
        }
        return result;
    }

    private List<InForce> inForce(Bson filter, Instant now) {
        List<InForce> result = new ArrayList<>();
        for (Document d : consents.find(filter)) {
            inForceOf(d).filter(consent -> consent.runsAt(now)).ifPresent(result::add);
        }
        return result;
    }

    private static Optional<InForce> inForceOf(Document consent) {
        Document inForce = consent.get(IN_FORCE, Document.class);
        if (inForce == null) {
            return Optional.empty();
        }
        return Optional.of(new InForce(consent.getString("_id"), inForce.getInteger("version"), termsOf(inForce),
                instant(inForce.getDate("signedAt")), consent.getInteger("chainStart", inForce.getInteger("version")),
                instant(consent.getDate("since"))));
    }

    private static Document termsDocument(ConsentTerms terms) {
        return new Document(PATIENT, terms.patientPersonId())
                .append(COUNSELOR, terms.counselorPersonId())
                .append("organisation", terms.organisation())
                .append("purpose", terms.purpose().name())
                .append("scopes", terms.scopes().stream().map(Enum::name).toList())
                .append(EXPIRES_AT, date(terms.expiresAt()))
                .append("untilTreatmentEnds", terms.untilTreatmentEnds());
    }

    private static ConsentTerms termsOf(Document d) {
        return new ConsentTerms(d.getString(PATIENT), d.getString(COUNSELOR), d.getString("organisation"),
                Purpose.valueOf(d.getString("purpose")), d.getList("scopes", String.class).stream().map(Scope::valueOf).toList(),
                instant(d.getDate(EXPIRES_AT)), d.getBoolean("untilTreatmentEnds", false));
    }

    private static ConsentVersion versionOf(Document d) {
        return new ConsentVersion(d.getString("consentId"), d.getInteger("version"), Status.valueOf(d.getString(STATUS)), termsOf(d),
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
