package app.tandem.platform.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.IdentifierMissingException;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cached resolver answers as Axon's annotation resolver does, for records, fields and accessors. */
class CommandTargetsTest {

    record Amend(@TargetAggregateIdentifier String entryId, @TargetAggregateVersion int expectedVersion, String note) {
    }

    record Note(@TargetAggregateIdentifier String journeyId, String text) {
    }

    record Untargeted(String text) {
    }

    static final class Legacy {
        private final String id;
        private final String version;

        Legacy(String id, String version) {
            this.id = id;
            this.version = version;
        }

        @TargetAggregateIdentifier
        String id() {
            return id;
        }

        @TargetAggregateVersion
        String version() {
            return version;
        }
    }

    private final CommandTargets targets = new CommandTargets();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    @Test
    void findsTheSameTargetAsAxon() {
        for (Object command : new Object[] {new Amend("entry-1", 3, "x"), new Note("journey-7", "y"), new Legacy("l-1", "12"),
                new Note("journey-8", "again")}) {
            VersionedAggregateIdentifier ours = targets.resolveTarget(GenericCommandMessage.asCommandMessage(command));
            VersionedAggregateIdentifier theirs = axon.resolveTarget(GenericCommandMessage.asCommandMessage(command));
            assertThat(ours).isEqualTo(theirs);
        }
        assertThat(targets.resolveTarget(GenericCommandMessage.asCommandMessage(new Amend("entry-2", 5, "z"))))
                .isEqualTo(new VersionedAggregateIdentifier("entry-2", 5L));
        assertThat(targets.resolveTarget(GenericCommandMessage.asCommandMessage(new Note("journey-9", "w"))).getVersion()).isNull();
    }

    @Test
    void aCommandWithoutATargetIsReportedAsMissingOne() {
        assertThatThrownBy(() -> targets.resolveTarget(GenericCommandMessage.asCommandMessage(new Note(null, "no id yet"))))
                .isInstanceOf(IdentifierMissingException.class);
        assertThatThrownBy(() -> targets.resolveTarget(GenericCommandMessage.asCommandMessage(new Untargeted("nothing"))))
                .isInstanceOf(IdentifierMissingException.class);
        assertThatThrownBy(() -> targets.resolveTarget(GenericCommandMessage.asCommandMessage(new Legacy("l-2", "not a number"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }
}
