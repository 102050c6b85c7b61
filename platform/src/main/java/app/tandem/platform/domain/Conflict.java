package app.tandem.platform.domain;

/** The request was made against a version that has since changed: ABORTED, read again and retry. */
public class Conflict extends DomainException {
    public Conflict(String message) {
        super(message);
    }
}
