package app.tandem.care.consent;

/** What kind of the partner's own information a consent discloses. */
public enum Scope {
    /** Check-ins shared with the partner, without notes. */
    SHARED_CHECK_INS,
    /** The notes of the check-ins disclosed. */
    CHECK_IN_NOTES,
    WEEKLY_REVIEWS,
    LAPSES,
    MILESTONES,
    SUPPORT_REQUESTS
}
