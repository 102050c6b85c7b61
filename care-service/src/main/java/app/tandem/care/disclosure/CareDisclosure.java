package app.tandem.care.disclosure;

import app.tandem.api.v1.CareEvent;
import app.tandem.api.v1.CareItemKind;
import app.tandem.api.v1.CareLapse;
import app.tandem.api.v1.CareMilestone;
import app.tandem.api.v1.CareSupportRequest;
import app.tandem.api.v1.ClientSummary;
import app.tandem.api.v1.TimelineEntry;
import app.tandem.api.v1.Visibility;
import app.tandem.care.consent.ConsentCommands.RecordFirstRead;
import app.tandem.care.consent.ConsentForm;
import app.tandem.care.consent.ConsentRegister;
import app.tandem.care.consent.ConsentRegister.InForce;
import app.tandem.care.consent.ConsentTerms;
import app.tandem.care.consent.Scope;
import app.tandem.care.feed.CareFeed;
import app.tandem.care.feed.CareItem;
import app.tandem.internal.v1.CareFigures;
import app.tandem.internal.v1.DisclosedLapse;
import app.tandem.internal.v1.MilestoneFacts;
import app.tandem.internal.v1.GetCareFiguresRequest;
import app.tandem.platform.domain.AccessDenied;
import app.tandem.platform.feed.Delivery;
import app.tandem.platform.grpc.JournalFacts;
import app.tandem.platform.grpc.Timestamps;
import app.tandem.platform.logging.Redacted;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, the moment an item would leave, whether it may: the consent it came under must still be in force, name
 * this counselor and disclose the item's kind. What may go is recorded in the accounting first, then sent with the
 * notice against redisclosure; the first disclosure under a consent is told to the patient.
 */
@Component
public class CareDisclosure {

    private static final Logger log = LoggerFactory.getLogger(CareDisclosure.class);
    /** How old an entry read with its run may be when it leaves; older ones are read again. */
    static final Duration FRESH = Duration.ofMillis(250);

    private final CareFeed feed;
    private final ConsentRegister register;
    private final JournalRecords journal;
    private final JournalFacts facts;
    private final Disclosures disclosures;
    private final CommandGateway commands;
    private final Clock clock;
    /** Versions whose first read this instance has recorded already. */
    private final Set<String> firstReadsRecorded = ConcurrentHashMap.newKeySet();

    public CareDisclosure(CareFeed feed, ConsentRegister register, JournalRecords journal, JournalFacts facts, Disclosures disclosures,
                          CommandGateway commands, Clock clock) {
        this.feed = feed;
        this.register = register;
        this.journal = journal;
        this.facts = facts;
        this.disclosures = disclosures;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * How a counselor's stream sends: the entries of a run are read from the journal in one call per consent when the
     * run is read, and every item is checked against its consent again just before it leaves. Entries read more than
     * {@link #FRESH} before they would leave (the client was slow to take them) are read again, so a retraction, a
     * change of visibility or of note reaches the counselor's copy too.
     */
    public Delivery<CareEvent> to(String counselor, String organisation) {
        return new Delivery<>() {
            /** Entries read with the current run, by id (null: asked for and refused); a run is read once the last is sent. */
            private final Map<String, TimelineEntry> entries = new HashMap<>();
            private long readAt;

            @Override
            public void read(List<Document> run) {
                entries.clear();
                Instant now = clock.instant();
                Map<String, List<String>> wanted = new LinkedHashMap<>();
                // a run is mostly a few clients' items: each consent is read once for it
                Map<String, Optional<InForce>> consents = new HashMap<>();
                for (Document feedEntry : run) {
                    CareItem item = CareFeed.itemOf(feedEntry);
                    if (item.kind().isEntry()) {
                        consents.computeIfAbsent(CareFeed.consentOf(feedEntry), id -> inForce(id, counselor, organisation, now))
                                .filter(consent -> covers(consent, feedEntry, item))
                                .ifPresent(consent -> wanted.computeIfAbsent(consent.consentId(), id -> new ArrayList<>()).add(item.itemId()));
                    }
                }
                wanted.forEach((consentId, ids) -> {
                    InForce consent = consents.get(consentId).orElseThrow();
                    ids.forEach(id -> entries.put(id, null)); // asked for: one the journal leaves out is gone
                    journal.entries(consentId, consent.terms().patientPersonId(), ids, CareItem.withNote(consent.terms()))
                            .forEach(entry -> entries.put(entry.getCheckInId(), entry));
                });
                readAt = System.nanoTime();
            }

            @Override
            public Optional<CareEvent> toMessage(Document feedEntry) {
                if (System.nanoTime() - readAt > FRESH.toNanos()) {
                    entries.clear();
                }
                return disclose(counselor, organisation, feedEntry, entries);
            }
        };
    }

    /**
     * The consent an item came under, if it is in force now, names this counselor and organisation, has run without a
     * break since the item was added, and still discloses the item.
     */
    private Optional<InForce> consentFor(String counselor, String organisation, Document feedEntry, CareItem item, Instant now) {
        return inForce(CareFeed.consentOf(feedEntry), counselor, organisation, now).filter(consent -> covers(consent, feedEntry, item));
    }

    private Optional<InForce> inForce(String consentId, String counselor, String organisation, Instant now) {
        return register.inForce(consentId, now)
                .filter(consent -> consent.terms().counselorPersonId().equals(counselor))
                .filter(consent -> consent.terms().organisation().equals(organisation));
    }

    private static boolean covers(InForce consent, Document feedEntry, CareItem item) {
        return consent.terms().patientPersonId().equals(item.patientPersonId())
                && CareFeed.versionOf(feedEntry) >= consent.chainStart()
                && item.disclosedUnder(consent.terms());
    }

    /** The feed entry as the counselor may receive it now, or empty when it may not go (anymore). */
    private Optional<CareEvent> disclose(String counselor, String organisation, Document feedEntry, Map<String, TimelineEntry> read) {
        Instant now = clock.instant();
        CareItem item = CareFeed.itemOf(feedEntry);
        Optional<InForce> consent = consentFor(counselor, organisation, feedEntry, item, now);
        if (consent.isEmpty()) {
            return Optional.empty();
        }
        ConsentTerms terms = consent.get().terms();
        CareEvent.Builder event = CareEvent.newBuilder()
                .setCursor(Long.toString(feed.numbered().numberOf(feedEntry)))
                .setItemId(item.itemId())
                .setKind(kindOf(item.kind()))
                .setClientPersonId(item.patientPersonId())
                .setConsentId(consent.get().consentId())
                .setOccurredAt(Timestamps.of(item.occurredAt()))
                .setNotice(ConsentForm.REDISCLOSURE_NOTICE);
        switch (item.kind()) {
            case CHECK_IN, WEEKLY_REVIEW -> {
                Optional<TimelineEntry> entry = read.containsKey(item.itemId()) ? Optional.ofNullable(read.get(item.itemId()))
                        : journal.entries(consent.get().consentId(), item.patientPersonId(), List.of(item.itemId()), CareItem.withNote(terms))
                        .stream().findFirst();
                // gone: retracted or made private since; a mark for the counselor counts only while the entry keeps it
                if (entry.isEmpty() || !item.disclosedUnder(terms, entry.get().getVisibility() == Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR)) {
                    return Optional.empty();
                }
                // notes are a check-in's, under their own scope, checked as the entry leaves
                boolean withNote = item.kind() == CareItem.Kind.CHECK_IN && CareItem.withNote(terms);
                event.setEntry(withNote ? entry.get() : entry.get().toBuilder().clearNote().build());
            }
            // facts as the journal gives them now: none once the lapse or milestone is gone (its person erased)
            case LAPSE -> {
                Optional<DisclosedLapse> lapse = facts.disclosedLapse(item.itemId());
                if (lapse.isEmpty()) {
                    return Optional.empty();
                }
                event.setLapse(CareLapse.newBuilder().addAllSubstancesValue(lapse.get().getSubstancesValueList())
                        .setUsedAlone(lapse.get().getUsedAlone()).setNaloxoneAtHand(lapse.get().getNaloxoneAtHand()));
            }
            case MILESTONE -> {
                Optional<MilestoneFacts> milestone = facts.milestone(item.patientPersonId(), item.itemId());
                if (milestone.isEmpty()) {
                    return Optional.empty();
                }
                event.setMilestone(CareMilestone.newBuilder().setDays(milestone.get().getDays()).setGoalKindValue(milestone.get().getGoalKindValue()));
            }
            case SUPPORT_REQUEST -> event.setSupportRequest(CareSupportRequest.getDefaultInstance());
        }
        recorded(consent.get(), event.getKind(), item.itemId(), now);
        return Optional.of(event.build());
    }

    /** The client's figures over the scopes in force, recorded as one disclosure. */
    public ClientSummary summary(String counselor, String organisation, String client) {
        Instant now = clock.instant();
        InForce consent = register.inForce(register.idOf(client, counselor), now)
                .filter(inForce -> inForce.terms().organisation().equals(organisation))
                .orElseThrow(() -> new AccessDenied("no consent of this person names you"));
        ConsentTerms terms = consent.terms();
        CareFigures figures = journal.figures(GetCareFiguresRequest.newBuilder()
                .setConsentId(consent.consentId()).setPersonId(client)
                .setCheckInTrends(terms.covers(Scope.SHARED_CHECK_INS))
                .setWeeklyReviews(terms.covers(Scope.WEEKLY_REVIEWS))
                .setMilestones(terms.covers(Scope.MILESTONES))
                .setLapses(terms.covers(Scope.LAPSES))
                .build());
        ClientSummary.Builder summary = ClientSummary.newBuilder().setClientPersonId(client).setNotice(ConsentForm.REDISCLOSURE_NOTICE);
        if (terms.covers(Scope.SHARED_CHECK_INS)) {
            summary.setMood(figures.getMood()).setCraving(figures.getCraving());
        }
        if (terms.covers(Scope.WEEKLY_REVIEWS)) {
            summary.addAllWeeklyReviews(figures.getWeeklyReviewsList());
        }
        if (terms.covers(Scope.MILESTONES)) {
            summary.setCurrentDaysWithoutUse(figures.getCurrentDaysWithoutUse()).addAllMilestones(figures.getMilestonesList());
        }
        if (terms.covers(Scope.LAPSES)) {
            summary.setLapses30Days(figures.getLapses30Days());
        }
        recorded(consent, CareItemKind.CARE_SUMMARY, "", now);
        return summary.build();
    }

    private void recorded(InForce consent, CareItemKind kind, String itemId, Instant now) {
        ConsentTerms terms = consent.terms();
        disclosures.record(now, terms.patientPersonId(), terms.counselorPersonId(), terms.organisation(), consent.consentId(),
                consent.version(), terms.purpose().name(), kind.name(), itemId);
        if (firstReadsRecorded.add(consent.consentId() + ":" + consent.version())) {
            // the aggregate tells the patient once; other instances and restarts ask again and change nothing
            commands.send(new RecordFirstRead(consent.consentId(), consent.version(), now)).exceptionally(failure -> {
                firstReadsRecorded.remove(consent.consentId() + ":" + consent.version());
                log.warn("the first read of a consent was not recorded; the next disclosure tries again", Redacted.of(failure));
                return null;
            });
        }
    }

    static CareItemKind kindOf(CareItem.Kind kind) {
        return CareItemKind.valueOf("CARE_" + kind.name());
    }
}
