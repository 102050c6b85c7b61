package app.tandem.care.consent;

import app.tandem.care.consent.ConsentCommands.EndTreatment;
import app.tandem.care.consent.ConsentCommands.ExpireConsent;
import app.tandem.care.consent.ConsentCommands.PrepareConsent;
import app.tandem.care.consent.ConsentCommands.RecordFirstRead;
import app.tandem.care.consent.ConsentCommands.RevokeConsent;
import app.tandem.care.consent.ConsentCommands.SignConsent;
import app.tandem.care.consent.ConsentCommands.WarnOfExpiry;
import app.tandem.care.consent.ConsentEvents.ConsentExpired;
import app.tandem.care.consent.ConsentEvents.ConsentExpiryNear;
import app.tandem.care.consent.ConsentEvents.ConsentPrepared;
import app.tandem.care.consent.ConsentEvents.ConsentRevoked;
import app.tandem.care.consent.ConsentEvents.ConsentSigned;
import app.tandem.care.consent.ConsentEvents.ConsentSuperseded;
import app.tandem.care.consent.ConsentEvents.CounselorFirstRead;
import app.tandem.care.consent.ConsentEvents.Ending;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.domain.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One partner's consent to one counselor, in versions: each version is prepared, read and signed by the partner, and
 * at most one is in force. Signing a new version (a wider or narrower scope, a later end) supersedes the one in force;
 * revocation, expiry and the end of treatment end it at once.
 */
@Aggregate
public class Consent {

    /** How long before its end the partner is told a consent runs out. */
    public static final Duration WARNING = Duration.ofDays(3);

    @AggregateIdentifier
    private String consentId;
    private String patient;
    private String counselor;
    private final Map<Integer, ConsentTerms> terms = new HashMap<>();
    private final Map<Integer, String> hashes = new HashMap<>();
    private final Map<String, Integer> preparedByKey = new HashMap<>();
    private final Set<Integer> signed = new HashSet<>();
    private final Set<Integer> warned = new HashSet<>();
    private int latest;
    private Integer inForce;
    private boolean read;

    protected Consent() {
        // for Axon
    }

    /** @return the version prepared, or the one this idempotency key prepared before */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public int handle(PrepareConsent command) {
        Integer before = preparedByKey.get(command.idempotencyKey());
        if (before != null) {
            return before;
        }
        ConsentTerms proposed = command.terms();
        proposed.validate(command.now());
        if (patient != null && (!patient.equals(proposed.patientPersonId()) || !counselor.equals(proposed.counselorPersonId()))) {
            throw new IllegalStateException("a consent is between one patient and one counselor");
        }
        String text = ConsentForm.text(proposed);
        apply(new ConsentPrepared(command.consentId(), latest + 1, proposed, text, ConsentForm.sha256(text), command.idempotencyKey(),
                command.now()));
        return latest;
    }

    @CommandHandler
    public void handle(SignConsent command) {
        requirePatient(command.personId(), "sign");
        if (signed.contains(command.version()) && command.textSha256().equals(hashes.get(command.version()))) {
            return; // signed before: a retry
        }
        if (command.version() != latest) {
            throw new RuleViolation("version " + command.version() + " is not the latest prepared version (" + latest + ")");
        }
        if (!command.textSha256().equals(hashes.get(latest))) {
            throw InvalidInput.of("text_sha256", "does not match the text of version " + latest + ": read it again before signing");
        }
        if (signed.contains(latest)) {
            throw new RuleViolation("version " + latest + " was signed and has ended; prepare a new version");
        }
        ConsentTerms version = terms.get(latest);
        if (!version.runsAt(command.now())) {
            throw new RuleViolation("version " + latest + " would have ended already; prepare a new version");
        }
        boolean continuing = inForce != null;
        if (continuing) {
            apply(new ConsentSuperseded(consentId, inForce, patient, counselor, latest, command.now()));
        }
        apply(new ConsentSigned(consentId, latest, version, hashes.get(latest), continuing, command.now()));
    }

    @CommandHandler
    public void handle(RevokeConsent command) {
        requirePatient(command.personId(), "revoke");
        if (inForce != null) {
            apply(new ConsentRevoked(consentId, inForce, patient, counselor, command.now()));
        }
    }

    /** Whatever end the patient chose, nothing more goes to a counselor who no longer treats them. */
    @CommandHandler
    public void handle(EndTreatment command) {
        if (!counselor.equals(command.personId())) {
            throw new AccessDenied("only the counselor of this consent can end the treatment");
        }
        if (inForce != null) {
            apply(new ConsentExpired(consentId, inForce, patient, counselor, Ending.TREATMENT_ENDED, command.now()));
        }
    }

    @CommandHandler
    public void handle(ExpireConsent command) {
        if (inForce != null && !terms.get(inForce).runsAt(command.now())) {
            apply(new ConsentExpired(consentId, inForce, patient, counselor, Ending.DATE_REACHED, command.now()));
        }
    }

    @CommandHandler
    public void handle(WarnOfExpiry command) {
        if (inForce == null || warned.contains(inForce)) {
            return;
        }
        ConsentTerms version = terms.get(inForce);
        if (version.expiresAt() != null && version.runsAt(command.now()) && !command.now().isBefore(version.expiresAt().minus(WARNING))) {
            apply(new ConsentExpiryNear(consentId, inForce, patient, version.expiresAt(), command.now()));
        }
    }

    @CommandHandler
    public void handle(RecordFirstRead command) {
        if (!read && inForce != null && inForce == command.version()) {
            apply(new CounselorFirstRead(consentId, command.version(), patient, counselor, command.now()));
        }
    }

    private void requirePatient(String personId, String act) {
        if (!patient.equals(personId)) {
            throw new AccessDenied("only the patient can " + act + " this consent");
        }
    }

    @EventSourcingHandler
    void on(ConsentPrepared event) {
        consentId = event.consentId();
        patient = event.terms().patientPersonId();
        counselor = event.terms().counselorPersonId();
        latest = event.version();
        terms.put(event.version(), event.terms());
        hashes.put(event.version(), event.textSha256());
        preparedByKey.put(event.idempotencyKey(), event.version());
    }

    @EventSourcingHandler
    void on(ConsentSigned event) {
        signed.add(event.version());
        inForce = event.version();
    }

    @EventSourcingHandler
    void on(ConsentSuperseded event) {
        inForce = null;
    }

    @EventSourcingHandler
    void on(ConsentRevoked event) {
        inForce = null;
    }

    @EventSourcingHandler
    void on(ConsentExpired event) {
        inForce = null;
    }

    @EventSourcingHandler
    void on(ConsentExpiryNear event) {
        warned.add(event.version());
    }

    @EventSourcingHandler
    void on(CounselorFirstRead event) {
        read = true;
    }

    /** The version in force, if any: for tests. */
    Integer versionInForce() {
        return inForce;
    }
}
