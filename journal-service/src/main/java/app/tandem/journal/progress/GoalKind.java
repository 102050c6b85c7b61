package app.tandem.journal.progress;

/** Harm-reduction goals are as valid as abstinence; only use against an abstinence goal is a lapse. */
public enum GoalKind {
    ABSTINENCE, REDUCED_USE, SAFER_USE
}
