package app.tandem.care.disclosure;

import app.tandem.care.feed.CareFeed;
import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Every disclosure of a person's items to a counselor, as they list them. The items themselves are their own entries,
 * exported by the journal; the copies in counselors' feeds are erased with the disclosures.
 */
@Component
public class DisclosurePersonalData implements PersonalData {

    private final Disclosures disclosures;
    private final CareFeed feed;

    public DisclosurePersonalData(Disclosures disclosures, CareFeed feed) {
        this.disclosures = disclosures;
        this.feed = feed;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (Document disclosure : disclosures.everyDisclosureOf(personId)) {
            export.item("disclosure", disclosure.getString("_id"), StoredFields.of(disclosure, "patient"));
        }
    }

    @Override
    public void erase(String personId) {
        disclosures.erase(personId);
        feed.erase(personId);
    }
}
