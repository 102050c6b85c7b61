package app.tandem.devstack;

import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.PersonalDataItem;
import app.tandem.api.v1.PrivacyServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A person's whole export as one JSON document, assembled on the client: each service answers for what it holds, so
 * the document asks every one of them through the gateway and keeps their items apart, by service and in the order sent.
 */
public final class PersonalDataDocument {

    /** Every service that holds something about a person. */
    public static final List<String> SERVICES = List.of("journal-service", "plans-service", "notifications-service", "care-service");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PersonalDataDocument() {
    }

    /** {@code {"services": {"journal-service": [{"kind", "id", "fields"}, …], …}}} for the person the token names. */
    public static ObjectNode of(Channel gateway, CallCredentials token) {
        ObjectNode document = JSON.createObjectNode();
        ObjectNode services = document.putObject("services");
        for (String service : SERVICES) {
            ArrayNode items = services.putArray(service);
            Iterator<PersonalDataItem> exported = PrivacyServiceGrpc.newBlockingStub(gateway).withCallCredentials(token)
                    .withDeadlineAfter(2, TimeUnit.MINUTES).exportMyData(ExportMyDataRequest.newBuilder().setService(service).build());
            exported.forEachRemaining(item -> items.addObject().put("kind", item.getKind()).put("id", item.getId())
                    .set("fields", fields(item)));
        }
        return document;
    }

    private static JsonNode fields(PersonalDataItem item) {
        return JSON.readTree(item.getJson());
    }

    public static String toJson(ObjectNode document) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
    }
}
