package app.tandem.journal.checkin;

/** Who may see a check-in besides its author. Private unless the author says otherwise. */
public enum Visibility {
    PRIVATE,
    SHARED_WITH_PARTNER
}
