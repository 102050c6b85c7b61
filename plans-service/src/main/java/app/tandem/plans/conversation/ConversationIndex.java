package app.tandem.plans.conversation;

import app.tandem.plans.conversation.ConversationEvents.ConversationInvited;
import app.tandem.plans.conversation.ConversationEvents.ConversationPrepared;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/**
 * Which conversations each partner of a couple may see: the author from its preparation, the partner once invited.
 * It holds ids only; a couple has few conversations, and each is read from its own events, so an answer never lags
 * behind what a conversation decided.
 */
@Component
@ProcessingGroup(ConversationIndex.PROCESSOR)
public class ConversationIndex {

    public static final String PROCESSOR = "conversation-index";

    private final MongoCollection<Document> conversations;

    public ConversationIndex(MongoDatabase database) {
        this.conversations = database.getCollection("conversation_index");
        this.conversations.createIndex(Indexes.ascending("coupleId"));
        this.conversations.createIndex(Indexes.ascending("seenBy"));
    }

    @EventHandler
    void on(ConversationPrepared event) {
        if (event.preparation() == null) {
            return; // the one who prepared it was erased
        }
        conversations.replaceOne(eq("_id", event.conversationId()), new Document("_id", event.conversationId())
                .append("coupleId", event.coupleId())
                .append("seenBy", List.of(event.preparedByPersonId()))
                .append("preparedAt", Date.from(event.preparedAt())), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(ConversationInvited event) {
        conversations.updateOne(eq("_id", event.conversationId()), Updates.addToSet("seenBy", event.invitedPersonId()));
    }

    @ResetHandler
    void reset() {
        conversations.deleteMany(new Document());
    }

    /**
     * Takes the person out of every conversation's readers; one the partner was invited to stays theirs, and one only
     * the person ever saw (a preparation never sent) goes.
     */
    public void erase(String personId) {
        conversations.deleteMany(eq("seenBy", List.of(personId)));
        conversations.updateMany(eq("seenBy", personId), Updates.pull("seenBy", personId));
    }

    /** Ids of the conversations {@code personId} may see in a couple, newest first. */
    public List<String> visibleTo(String personId, String coupleId) {
        List<String> ids = new ArrayList<>();
        conversations.find(Filters.and(eq("coupleId", coupleId), eq("seenBy", personId)))
                .sort(Sorts.orderBy(Sorts.descending("preparedAt"), Sorts.ascending("_id")))
                .forEach(d -> ids.add(d.getString("_id")));
        return ids;
    }
}
