package app.tandem.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a command prints: aligned columns for people, or JSON Lines (one object per line) with {@code --json}. */
final class Output {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonFormat.Printer PROTO_JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final PrintWriter out;
    final boolean json;
    private final List<String[]> rows = new ArrayList<>();

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** One row of the table printed by {@link #printTable}; the first row is the header. None with {@code --json}. */
    void row(String... cells) {
        if (!json) {
            rows.add(cells);
        }
    }

    void printTable() {
        if (rows.isEmpty()) {
            return;
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i < row.length - 1 ? String.format("%-" + widths[i] + "s  ", row[i]) : row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
        rows.clear();
    }

    /** A message as one JSON line, with the service it came from as its first field. */
    void jsonLine(String service, MessageOrBuilder message) {
        ObjectNode line = JSON.createObjectNode().put("service", service);
        line.setAll((ObjectNode) JSON.readTree(protoJson(message)));
        out.println(JSON.writeValueAsString(line));
    }

    void jsonLine(ObjectNode line) {
        out.println(JSON.writeValueAsString(line));
    }

    void line(String text) {
        out.println(text);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A stored JSON text as a JSON value, or as a string if it is not JSON. */
    static tools.jackson.databind.JsonNode parsedOrText(String text) {
        try {
            return JSON.readTree(text);
        } catch (tools.jackson.core.JacksonException notJson) {
            return JSON.getNodeFactory().stringNode(text);
        }
    }

    static String time(Timestamp timestamp) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0 ? "-"
                : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }

    private static String protoJson(MessageOrBuilder message) {
        try {
            return PROTO_JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }
}
