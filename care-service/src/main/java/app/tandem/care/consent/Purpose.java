package app.tandem.care.consent;

/** Why the information is disclosed. */
public enum Purpose {
    TREATMENT,
    CARE_COORDINATION
}
