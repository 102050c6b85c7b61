package app.tandem.platform.domain;

/** Nothing by that identifier exists for this actor: NOT_FOUND. */
public class NotFound extends DomainException {
    public NotFound(String message) {
        super(message);
    }
}
