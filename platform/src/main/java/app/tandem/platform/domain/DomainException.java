package app.tandem.platform.domain;

/**
 * A request the domain refused. Each subtype maps to exactly one gRPC status at the edge, so domain code
 * says what went wrong in its own words and never touches transport types.
 */
public abstract class DomainException extends RuntimeException {
    protected DomainException(String message) {
        super(message, null, false, false);
    }
}
