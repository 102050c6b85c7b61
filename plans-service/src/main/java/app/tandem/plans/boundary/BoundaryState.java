package app.tandem.plans.boundary;

public enum BoundaryState {
    /** A version waits for the other partner's answer. */
    PROPOSED,
    /** Accepted and in force. */
    ACTIVE,
    /** The latest version was declined. */
    DECLINED,
    /** Accepted, but not in force for now. */
    PAUSED,
    RETIRED
}
