package app.tandem.plans.boundary;

import app.tandem.plans.membership.CouplePartners;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The boundaries a person proposed or answered, read from each boundary's events as its history is: every version they
 * wrote with its words, every answer and change of state they gave. The partner's words are the partner's: a version
 * the partner wrote appears only by its number, with the person's answer to it.
 */
@Component
public class BoundaryPersonalData implements PersonalData {

    private final CouplePartners couples;
    private final BoundaryBoard board;
    private final Aggregates aggregates;
    private final Repository<Boundary> boundaries;
    private final PersonalDataCipher cipher;

    public BoundaryPersonalData(CouplePartners couples, BoundaryBoard board, Aggregates aggregates, Repository<Boundary> boundaries,
                                PersonalDataCipher cipher) {
        this.couples = couples;
        this.board = board;
        this.aggregates = aggregates;
        this.boundaries = boundaries;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (CouplePartners.Couple couple : couples.couplesOf(personId)) {
            for (BoundaryBoard.Entry entry : board.of(couple.coupleId(), true)) {
                aggregates.read(boundaries, entry.boundaryId(), Boundary::view)
                        .ifPresent(view -> exportOne(personId, view, export));
            }
        }
    }

    private void exportOne(String personId, BoundaryView view, PersonalDataExport export) {
        List<Map<String, Object>> versions = new ArrayList<>();
        for (BoundaryView.Version version : view.versions()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("version", version.version());
            boolean own = personId.equals(version.proposedBy());
            fields.put("proposedByMe", own);
            if (own) {
                fields.put("text", cipher.decrypt(personId, version.encryptedText()).orElse(""));
                fields.put("category", version.category().name());
                fields.put("proposedAt", StoredFields.time(version.proposedAt()));
                fields.put("reviewAt", StoredFields.time(version.reviewAt()));
            }
            fields.put("outcome", version.outcome().name());
            if (personId.equals(version.answeredBy())) {
                fields.put("answeredByMe", true);
                fields.put("answeredAt", StoredFields.time(version.answeredAt()));
            }
            if (own || personId.equals(version.answeredBy())) {
                versions.add(fields);
            }
        }
        List<Map<String, Object>> changes = view.stateChanges().stream().filter(change -> personId.equals(change.changedBy()))
                .map(change -> Map.<String, Object>of("state", change.state().name(), "at", StoredFields.time(change.changedAt())))
                .toList();
        if (versions.isEmpty() && changes.isEmpty()) {
            return; // the partner's boundary, which the person never answered
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("coupleId", view.coupleId());
        fields.put("state", view.state().name());
        fields.put("versions", versions);
        fields.put("stateChangesByMe", changes);
        export.item("boundary", view.boundaryId(), fields);
    }

    @Override
    public void erase(String personId) {
        board.eraseProposalsOf(personId);
    }
}
