package app.tandem.journal.entry;

/** Who may see an entry besides its author. Private unless the author says otherwise. */
public enum Visibility {
    PRIVATE,
    SHARED_WITH_PARTNER,
    /** Shared with the partner; a counselor the couple consented to may see it too. */
    SHARED_WITH_PARTNER_AND_COUNSELOR;

    public boolean sharedWithPartner() {
        return this != PRIVATE;
    }

    public boolean counselorMaySee() {
        return this == SHARED_WITH_PARTNER_AND_COUNSELOR;
    }
}
