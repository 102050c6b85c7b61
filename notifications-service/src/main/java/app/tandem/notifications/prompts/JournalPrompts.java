package app.tandem.notifications.prompts;

import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.CoupleMilestoneReached;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.MilestoneReached;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.events.v1.SupportRequested;
import app.tandem.internal.v1.MilestoneFacts;
import app.tandem.notifications.delivery.Dispatcher;
import app.tandem.notifications.inbox.Inbox;
import app.tandem.notifications.inbox.NotificationKind;
import app.tandem.notifications.preferences.PreferenceStore;
import app.tandem.platform.grpc.JournalFacts;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Turns what happens in the journal into prompts for the people it concerns. Texts are lock-screen safe:
 * nothing anyone wrote, no mood, craving or substance. The events carry no facts: a craving that may call for a
 * support prompt and a milestone's days are asked of the journal, and a fact it no longer gives (retracted, no
 * longer shared, its author erased) prompts only what needs no fact: a plain check-in prompt, no milestone.
 */
@Component
public class JournalPrompts extends TopicPrompts {

    public static final String TOPIC = "tandem.journal.v1";

    private final PreferenceStore preferences;
    private final JournalFacts journal;
    /** This service's own view of who is in which couple, built from the journal's events. */
    private final MongoCollection<Document> couples;

    public JournalPrompts(Dispatcher dispatcher, PreferenceStore preferences, JournalFacts journal, MongoDatabase database) {
        super(TOPIC, dispatcher);
        this.preferences = preferences;
        this.journal = journal;
        this.couples = database.getCollection("couple_partners");
        couples.createIndex(Indexes.ascending("partners"));
    }

    @Override
    protected void onEvent(String eventId, Any payload) throws InvalidProtocolBufferException {
        if (payload.is(CoupleCreated.class)) {
            CoupleCreated created = payload.unpack(CoupleCreated.class);
            addPartner(created.getCoupleId(), created.getFounderPersonId());
        } else if (payload.is(PartnerJoined.class)) {
            PartnerJoined joined = payload.unpack(PartnerJoined.class);
            for (String partner : partnersOf(joined.getCoupleId())) {
                if (!partner.equals(joined.getPersonId())) {
                    deliver(eventId, partner, NotificationKind.PARTNER_JOINED, joined.getCoupleId(),
                            "Your partner joined", "Your shared journal is ready.", null);
                }
            }
            addPartner(joined.getCoupleId(), joined.getPersonId());
        } else if (payload.is(CoupleDissolved.class)) {
            CoupleDissolved dissolved = payload.unpack(CoupleDissolved.class);
            if (!dissolved.getRemainingPersonId().isEmpty()) {
                // learnt at the next visit, not pushed at the moment of leaving: that moment is the leaver's to keep
                dispatcher.listForNextVisit(draft(eventId, dissolved.getRemainingPersonId(), NotificationKind.JOURNAL_NO_LONGER_SHARED,
                        dissolved.getCoupleId(), "Your journal is no longer shared", "Your own entries stay with you.", null));
            }
        } else if (payload.is(CheckInShared.class)) {
            CheckInShared shared = payload.unpack(CheckInShared.class);
            var read = preferences.forSharedCheckIn(shared.getAuthorPersonId(), shared.getPartnerPersonId());
            int threshold = read.authorAlertThreshold();
            // asked only when the author wants alerts: nobody else's craving is read at all
            if (threshold > 0 && journal.sharedCheckIn(shared.getCheckInId())
                    .filter(facts -> facts.getCravingIntensity() >= threshold).isPresent()) {
                // the author asked for support at this level: one prompt that says so, not two
                dispatcher.dispatch(draft(eventId, shared.getPartnerPersonId(), NotificationKind.PARTNER_CRAVING_HIGH, shared.getCoupleId(),
                        "Your partner could use support", "They shared a hard moment. Your plan has ways to help.", shared.getCheckInId()),
                        read.partner());
            } else {
                dispatcher.dispatch(draft(eventId, shared.getPartnerPersonId(), NotificationKind.PARTNER_CHECKED_IN, shared.getCoupleId(),
                        "Your partner checked in", "They shared a check-in with you.", shared.getCheckInId()), read.partner());
            }
        } else if (payload.is(LapseDisclosed.class)) {
            LapseDisclosed lapse = payload.unpack(LapseDisclosed.class);
            deliver(eventId, lapse.getPartnerPersonId(), NotificationKind.PARTNER_LAPSED, lapse.getCoupleId(),
                    "Your partner shared something hard",
                    "They trusted you with it. Reach out calmly; your plan has the first steps.", lapse.getCheckInId());
            deliver(eventId, lapse.getPersonId(), NotificationKind.LAPSE_SELF_CARE, lapse.getCoupleId(),
                    "Thank you for being honest",
                    "A lapse is part of many recoveries. Your plan has your next steps.", lapse.getCheckInId());
        } else if (payload.is(MilestoneReached.class)) {
            MilestoneReached milestone = payload.unpack(MilestoneReached.class);
            Optional<MilestoneFacts> facts = journal.milestone(milestone.getPersonId(), milestone.getMilestoneId());
            if (facts.isEmpty()) {
                return; // gone: a celebration of days nobody can name any more
            }
            String days = days(facts.get().getDays());
            deliver(eventId, milestone.getPersonId(), NotificationKind.MILESTONE_REACHED, milestone.getCoupleId(),
                    days + " without use", "Every one of them counts.", null);
            if (milestone.getSharedWithPartner() && !milestone.getPartnerPersonId().isEmpty()) {
                deliver(eventId, milestone.getPartnerPersonId(), NotificationKind.PARTNER_MILESTONE_REACHED, milestone.getCoupleId(),
                        "A milestone for your partner", days + " without use.", null);
            }
        } else if (payload.is(CoupleMilestoneReached.class)) {
            CoupleMilestoneReached milestone = payload.unpack(CoupleMilestoneReached.class);
            for (String partner : milestone.getPartnerPersonIdsList()) {
                deliver(eventId, partner, NotificationKind.COUPLE_MILESTONE_REACHED, milestone.getCoupleId(),
                        days(milestone.getDays()) + " together", "You have kept your journal together for " + days(milestone.getDays()) + ".", null);
            }
        } else if (payload.is(SupportRequested.class)) {
            SupportRequested support = payload.unpack(SupportRequested.class);
            deliver(eventId, support.getPartnerPersonId(), NotificationKind.SUPPORT_REQUESTED, support.getCoupleId(),
                    "Your partner needs support now", "Please reach out to them.", null);
        }
    }

    private void deliver(String eventId, String recipient, NotificationKind kind, String coupleId, String title, String body, String checkInId) {
        dispatcher.dispatch(draft(eventId, recipient, kind, coupleId, title, body, checkInId));
    }

    private static Inbox.Draft draft(String eventId, String recipient, NotificationKind kind, String coupleId, String title, String body,
                                     String checkInId) {
        return new Inbox.Draft(eventId, recipient, kind, coupleId, title, body, checkInId == null || checkInId.isEmpty() ? null : checkInId);
    }

    private static String days(int days) {
        return days == 1 ? "1 day" : days + " days";
    }

    /** The couples the person is or was in, as prompts know them. */
    public List<String> couplesOf(String personId) {
        List<String> found = new ArrayList<>();
        couples.find(eq("partners", personId)).forEach(couple -> found.add(couple.getString("_id")));
        return found;
    }

    /** Takes the person out of every couple: the partner is no longer prompted about them. */
    public void erase(String personId) {
        couples.updateMany(eq("partners", personId), Updates.pull("partners", personId));
    }

    private void addPartner(String coupleId, String personId) {
        couples.updateOne(eq("_id", coupleId), Updates.addToSet("partners", personId), new UpdateOptions().upsert(true));
    }

    private List<String> partnersOf(String coupleId) {
        Document couple = couples.find(eq("_id", coupleId)).first();
        return couple == null ? List.of() : couple.getList("partners", String.class);
    }
}
