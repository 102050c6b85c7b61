package app.tandem.plans.safetyplan;

import app.tandem.plans.membership.CouplePartners;
import app.tandem.platform.axon.Aggregates;
import app.tandem.platform.crypto.PersonalDataCipher;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's section of each version of their couple's safety plan and their private items, which live only in the
 * plan's events. The partner's section and private items are the partner's and never part of it.
 */
@Component
public class SafetyPlanPersonalData implements PersonalData {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final CouplePartners couples;
    private final Aggregates aggregates;
    private final Repository<SafetyPlan> plans;
    private final PersonalDataCipher cipher;
    private final JsonMapper json = JsonMapper.builder().build();

    public SafetyPlanPersonalData(CouplePartners couples, Aggregates aggregates, Repository<SafetyPlan> plans, PersonalDataCipher cipher) {
        this.couples = couples;
        this.aggregates = aggregates;
        this.plans = plans;
        this.cipher = cipher;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (CouplePartners.Couple couple : couples.couplesOf(personId)) {
            aggregates.read(plans, SafetyPlan.idFor(couple.coupleId()), SafetyPlan::view).ifPresent(plan -> {
                for (PlanVersion version : plan.versions()) {
                    PlanSection section = version.sections().get(personId);
                    boolean acknowledged = version.acknowledgedBy().contains(personId);
                    // once dissolved, a draft is the person's only as far as they wrote or acknowledged it, dated by them
                    boolean draftSinceLeave = couple.dissolved() && version.status() == PlanVersion.Status.DRAFT;
                    boolean wrote = version.editedBy().containsKey(personId);
                    if (section == null && !acknowledged || draftSinceLeave && !wrote && !acknowledged) {
                        continue;
                    }
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("coupleId", plan.coupleId());
                    fields.put("version", version.version());
                    fields.put("status", version.status().name());
                    fields.put("acknowledgedByMe", acknowledged);
                    fields.put("lastEditedAt", StoredFields.time(draftSinceLeave ? version.editedBy().get(personId) : version.lastEditedAt()));
                    fields.put("agreedAt", StoredFields.time(version.agreedAt()));
                    fields.put("section", section == null ? null : plain(personId, section));
                    export.item("safety-plan-section", plan.planId() + "/" + version.version(), fields);
                }
                PlanSection own = plan.privateItemsOf(personId);
                if (!own.equals(PlanSection.empty())) {
                    export.item("safety-plan-private-items", plan.planId(), Map.of("coupleId", plan.coupleId(), "items", plain(personId, own)));
                }
            });
        }
    }

    private Map<String, Object> plain(String personId, PlanSection section) {
        return json.convertValue(section.map(text -> cipher.decrypt(personId, text).orElse("")), FIELDS);
    }

    /** The plan lives only in its events, whose text becomes unreadable with the person's key; no view holds it. */
    @Override
    public void erase(String personId) {
        // nothing stored outside the plan's events
    }
}
