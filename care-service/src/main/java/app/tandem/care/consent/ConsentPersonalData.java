package app.tandem.care.consent;

import app.tandem.platform.privacy.PersonalData;
import app.tandem.platform.privacy.PersonalDataExport;
import app.tandem.platform.privacy.StoredFields;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every consent a person prepared as a patient, each version with the text they read and signed, and the counselors'
 * invitations they created or took. The code of an invitation is never stored, only its hash, which is not exported.
 */
@Component
public class ConsentPersonalData implements PersonalData {

    private final ConsentRegister register;
    private final ClientInvitations invitations;

    public ConsentPersonalData(ConsentRegister register, ClientInvitations invitations) {
        this.register = register;
        this.invitations = invitations;
    }

    @Override
    public void export(String personId, PersonalDataExport export) {
        for (ConsentRegister.ConsentVersion version : register.versionsOf(personId)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("consentId", version.consentId());
            fields.put("version", version.version());
            fields.put("status", version.status().name());
            fields.put("counselorPersonId", version.terms().counselorPersonId());
            fields.put("organisation", version.terms().organisation());
            fields.put("purpose", version.terms().purpose().name());
            fields.put("scopes", version.terms().scopes().stream().map(Enum::name).toList());
            fields.put("expiresAt", StoredFields.time(version.terms().expiresAt()));
            fields.put("untilTreatmentEnds", version.terms().untilTreatmentEnds());
            fields.put("text", version.text());
            fields.put("textSha256", version.textSha256());
            fields.put("preparedAt", StoredFields.time(version.preparedAt()));
            fields.put("signedAt", StoredFields.time(version.signedAt()));
            fields.put("endedAt", StoredFields.time(version.endedAt()));
            export.item("consent", version.consentId() + "/" + version.version(), fields);
        }
        for (Document invitation : invitations.of(personId)) {
            Map<String, Object> fields = StoredFields.of(invitation, "invitation");
            fields.put("createdByMe", personId.equals(invitation.getString("counselor")));
            export.item("client-invitation", invitation.getString("invitation"), fields);
        }
    }

    @Override
    public void erase(String personId) {
        register.erase(personId);
        invitations.erase(personId);
    }
}
