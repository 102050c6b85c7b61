package app.tandem.plans.membership;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The couples this service knows the person is or was in (from the journal's events); the partner's id stays out.
 * Erased first of this service's stores: from then on the partner is alone in a dissolved couple.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class MembershipPersonalData implements PersonalData {

    private final CouplePartners couples;

    public MembershipPersonalData(CouplePartners couples) {
        this.couples = couples;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        couples.couplesOf(personId).forEach(couple -> export.item("couple", couple.coupleId(), Map.of("dissolved", couple.dissolved())));
    }

    @Override
    public void erase(String personId) {
        couples.erase(personId);
    }
}
