package app.tandem.plans.conversation;

import app.tandem.plans.conversation.ConversationCommands.Preparation;
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
 * The conversations a person prepared or was invited to, read from each one's events: their own preparation with its
 * words, the time and place (the place in their words only), and the agreed steps they wrote or own. The partner's
 * preparation is never theirs, and the partner's words appear only as a step's owner and date.
 */
@Component
public class ConversationPersonalData implements PersonalData {

    private final CouplePartners couples;
    private final ConversationIndex index;
    private final Aggregates aggregates;
    private final Repository<Conversation> conversations;
    private final PersonalDataCipher cipher;

    public ConversationPersonalData(CouplePartners couples, ConversationIndex index, Aggregates aggregates,
                                    Repository<Conversation> conversations, PersonalDataCipher cipher) {
        this.couples = couples;
        this.index = index;
        this.aggregates = aggregates;
        this.conversations = conversations;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (CouplePartners.Couple couple : couples.couplesOf(personId)) {
            for (String conversationId : index.visibleTo(personId, couple.coupleId())) {
                aggregates.read(conversations, conversationId, c -> c.visibleTo(personId) ? c.view() : null)
                        .ifPresent(view -> export.item("conversation", conversationId, fields(personId, view)));
            }
        }
    }

    private Map<String, Object> fields(String personId, ConversationView view) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("coupleId", view.coupleId());
        fields.put("stage", view.stage().name());
        boolean mine = personId.equals(view.preparedBy());
        fields.put("preparedByMe", mine);
        fields.put("preparedAt", StoredFields.time(view.preparedAt()));
        fields.put("lapseId", view.lapseId());
        if (mine && view.preparation() != null) {
            Preparation preparation = view.preparation();
            Map<String, Object> prepared = new LinkedHashMap<>();
            prepared.put("intentions", preparation.intentions().stream().map(Enum::name).toList());
            prepared.put("points", preparation.encryptedPoints().stream().map(p -> text(personId, p)).toList());
            prepared.put("whatINeed", text(personId, preparation.encryptedNeed()));
            prepared.put("support", text(personId, preparation.encryptedSupport()));
            fields.put("preparation", prepared);
        }
        if (view.proposal() != null) {
            fields.put("time", StoredFields.time(view.proposal().time()));
            fields.put("proposedByMe", personId.equals(view.proposal().proposedBy()));
            if (personId.equals(view.proposal().placeAuthor())) {
                fields.put("place", text(personId, view.proposal().encryptedPlace()));
            }
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (ConversationStep step : view.steps()) {
            boolean wrote = personId.equals(step.textAuthor());
            if (!wrote && !personId.equals(step.ownerPersonId())) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stepId", step.stepId());
            if (wrote) {
                s.put("text", text(personId, step.encryptedText()));
            }
            s.put("mine", personId.equals(step.ownerPersonId()));
            s.put("dueAt", StoredFields.time(step.dueAt()));
            s.put("doneAt", StoredFields.time(view.doneSteps().get(step.stepId())));
            steps.add(s);
        }
        fields.put("steps", steps);
        return fields;
    }

    private String text(String personId, String encrypted) {
        return encrypted == null || encrypted.isEmpty() ? "" : cipher.decrypt(personId, encrypted).orElse("");
    }

    @Override
    public void erase(String personId) {
        index.erase(personId);
    }
}
