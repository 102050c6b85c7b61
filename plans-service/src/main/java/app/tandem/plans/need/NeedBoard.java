package app.tandem.plans.need;

import app.tandem.plans.need.NeedCommands.Answer;
import app.tandem.plans.need.NeedCommands.Kind;
import app.tandem.plans.need.NeedEvents.NeedAnswered;
import app.tandem.plans.need.NeedEvents.NeedExpressed;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static com.mongodb.client.model.Filters.eq;

/** A couple's needs, one document each keyed by need id, with its author and couple for export and erasure. */
@Component
@ProcessingGroup(NeedBoard.PROCESSOR)
public class NeedBoard {

    public static final String PROCESSOR = "need-board";

    private final MongoCollection<Document> needs;

    public NeedBoard(MongoDatabase database) {
        this.needs = database.getCollection("need_board");
        this.needs.createIndex(Indexes.ascending("coupleId"));
        this.needs.createIndex(Indexes.ascending("personId"));
        this.needs.createIndex(Indexes.ascending("answeredBy"));
    }

    @EventHandler
    void on(NeedExpressed event) {
        needs.replaceOne(eq("_id", event.needId()), new Document("_id", event.needId())
                .append("coupleId", event.coupleId())
                .append("personId", event.personId())
                .append("kind", event.kind().name())
                .append("text", event.encryptedText())
                .append("expressedAt", Date.from(event.expressedAt())), new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(NeedAnswered event) {
        needs.updateOne(eq("_id", event.needId()), Updates.combine(Updates.set("answer", event.answer().name()),
                Updates.set("answeredBy", event.answeredByPersonId()), Updates.set("answeredAt", Date.from(event.answeredAt()))));
    }

    @ResetHandler
    void reset() {
        needs.deleteMany(new Document());
    }

    /** Both partners' needs in a couple, newest first. */
    public List<NeedView> of(String coupleId) {
        return views(eq("coupleId", coupleId), Sorts.orderBy(Sorts.descending("expressedAt"), Sorts.ascending("_id")));
    }

    /** Every need {@code personId} expressed, in any couple. */
    public List<NeedView> expressedBy(String personId) {
        return views(eq("personId", personId), Sorts.ascending("_id"));
    }

    /** The partner's needs {@code personId} answered. */
    public List<NeedView> answeredBy(String personId) {
        return views(eq("answeredBy", personId), Sorts.ascending("_id"));
    }

    /** Deletes the person's needs; the partner's needs they answered keep the answer, without naming who gave it. */
    public void erase(String personId) {
        needs.deleteMany(eq("personId", personId));
        needs.updateMany(eq("answeredBy", personId), Updates.unset("answeredBy"));
    }

    private List<NeedView> views(Bson filter, Bson order) {
        List<NeedView> result = new ArrayList<>();
        needs.find(filter).sort(order).forEach(d -> {
            String answer = d.getString("answer");
            Date answeredAt = d.getDate("answeredAt");
            result.add(new NeedView(d.getString("_id"), d.getString("coupleId"), d.getString("personId"), Kind.valueOf(d.getString("kind")),
                    d.getString("text"), d.getDate("expressedAt").toInstant(), answer == null ? null : Answer.valueOf(answer),
                    answeredAt == null ? null : answeredAt.toInstant()));
        });
        return result;
    }
}
