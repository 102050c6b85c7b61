package app.tandem.platform.domain;

/** The actor may not see or change this: PERMISSION_DENIED. */
public class AccessDenied extends DomainException {
    public AccessDenied(String message) {
        super(message);
    }
}
