package app.tandem.care.feed;

import app.tandem.care.consent.ConsentTerms;
import app.tandem.care.consent.Scope;

import java.time.Instant;

/**
 * One item of a partner's own record that may go to their counselor: what kind, whose, when, and the reference the
 * owning service discloses it by. No fact is kept with it: entries, lapses and milestones are read from the journal
 * when they are disclosed, so a later retraction, amendment or erasure is respected.
 */
public record CareItem(Kind kind, String itemId, String patientPersonId, Instant occurredAt, boolean markedForCounselor) {

    public enum Kind {
        CHECK_IN(Scope.SHARED_CHECK_INS),
        WEEKLY_REVIEW(Scope.WEEKLY_REVIEWS),
        LAPSE(Scope.LAPSES),
        MILESTONE(Scope.MILESTONES),
        SUPPORT_REQUEST(Scope.SUPPORT_REQUESTS);

        private final Scope scope;

        Kind(Scope scope) {
            this.scope = scope;
        }

        public boolean isEntry() {
            return this == CHECK_IN || this == WEEKLY_REVIEW;
        }
    }

    /**
     * Whether these terms disclose the item: its kind is in scope, or it is an entry its author marked for their
     * counselor. Only ever the patient's own items reach this question.
     */
    public boolean disclosedUnder(ConsentTerms terms) {
        return disclosedUnder(terms, markedForCounselor);
    }

    /** As {@link #disclosedUnder(ConsentTerms)}, with whether the entry is marked for the counselor now. */
    public boolean disclosedUnder(ConsentTerms terms, boolean markedNow) {
        return terms.covers(kind.scope) || (kind.isEntry() && markedNow);
    }

    /** Whether a check-in's note goes with it (a weekly review's never does). */
    public static boolean withNote(ConsentTerms terms) {
        return terms.covers(Scope.CHECK_IN_NOTES);
    }
}
