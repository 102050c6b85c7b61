package app.tandem.platform.privacy;

/**
 * What one feature of a service holds about a person. Every store that keeps a person's rows implements it, so a
 * person's export is complete and their erasure leaves nothing behind; a feature that forgets a store fails
 * the erasure test's scan.
 */
public interface PersonalData {

    /** Hands every item this feature holds about the person to {@code export}, decrypted for them alone. */
    void export(String personId, PersonalDataExport export);

    /** Removes every row this feature holds about the person; run again, it changes nothing. */
    void erase(String personId);
}
