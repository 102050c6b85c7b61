package app.tandem.platform.domain;

import java.util.List;
import java.util.stream.Collectors;

/** One or more fields of a request are malformed: INVALID_ARGUMENT, with every offending field named. */
public class InvalidInput extends DomainException {

    public record FieldViolation(String field, String description) {
    }

    private final List<FieldViolation> violations;

    public InvalidInput(List<FieldViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.description()).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public static InvalidInput of(String field, String description) {
        return new InvalidInput(List.of(new FieldViolation(field, description)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
