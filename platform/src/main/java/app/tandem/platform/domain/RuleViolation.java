package app.tandem.platform.domain;

/** Well-formed, but the current state does not allow it (a full couple, a used invite): FAILED_PRECONDITION. */
public class RuleViolation extends DomainException {
    public RuleViolation(String message) {
        super(message);
    }
}
