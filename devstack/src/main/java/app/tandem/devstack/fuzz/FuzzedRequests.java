package app.tandem.devstack.fuzz;

import app.tandem.devstack.fuzz.FuzzScene.Known;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Requests whose every field comes from the fuzzer, walking the message's descriptor, so a new RPC or field is fuzzed
 * without a line here. Values lean towards what reaches deep code: a field named for a couple, entry, boundary, lapse,
 * task, invite, person, client, invitation, consent, version, text hash or page often holds a real one of the scene; enums are known values or numbers the API does not
 * define; timestamps are near now, at the edges of protobuf's range or outside it; text is empty, short, Unicode,
 * at lengths around the API's limits or beyond.
 */
final class FuzzedRequests {

    private static final int MAX_DEPTH = 4;
    private static final int[] INTS = {0, 1, -1, 2, 3, 4, 5, 7, 10, 11, 50, 100, 101, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final long[] LONGS = {0, 1, -1, 100, Long.MAX_VALUE, Long.MIN_VALUE, 253402300799L, 253402300800L,
            -62135596800L, -62135596801L};
    private static final int[] TEXT_LENGTHS = {1, 20, 100, 199, 200, 201, 499, 500, 501, 1000, 2000, 4000, 4001, 10_000, 70_000};
    private static final List<String> SHAPES = List.of("", " ", "\u0000", "0", "-1", "1", "99999999999999999999", "null",
            "../../etc/passwd", "${jndi:ldap://x}", "{\"$gt\": \"\"}", "$where", "a.b", "\uD83D\uDE00", "\u202E", "Z".repeat(64));

    /** Per field name, the kind of real value it names and other values worth trying. */
    private static final List<String> CURSORS = List.of("0", "1", "2", "10", "-1", "9223372036854775807", "9223372036854775808");
    private static final Map<String, List<String>> SPECIAL = Map.ofEntries(
            Map.entry("service", List.of("journal-service", "plans-service", "notifications-service", "care-service", "gateway",
                    "JOURNAL-SERVICE")),
            Map.entry("time_zone", List.of("UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Invalid/Zone", "GMT+14", "+25:00")),
            Map.entry("quiet_hours_start", List.of("22:00", "00:00", "23:59", "24:00", "7:5", "25:61", "-1:00")),
            Map.entry("quiet_hours_end", List.of("07:30", "00:00", "22:00", "24:00", "ab:cd", "12:60")),
            Map.entry("locale", List.of("en", "en-US", "de-DE", "xx", "zz-ZZ", "en_US")),
            Map.entry("email", List.of("partner@example.invalid", "not-an-address", "a@b", "@example.invalid", "a@[127.0.0.1]")),
            Map.entry("webhook_url", List.of("https://hooks.example.invalid/tandem", "http://127.0.0.1:1/", "https://169.254.169.254/latest",
                    "https://[::1]/", "https://10.0.0.1/", "ftp://example.invalid/", "https://user:pw@example.invalid/", "https://0x7f000001/")),
            Map.entry("phone", List.of("+15555550100", "911", "abc", "+")),
            Map.entry("up_to_cursor", CURSORS),
            Map.entry("after_cursor", CURSORS),
            Map.entry("text_sha256", List.of("0".repeat(64), "F".repeat(64), "f".repeat(63), "f".repeat(65))),
            Map.entry("page_token", List.of("0", "1", "2", "-1", "9223372036854775807", "1e3", "00000000-0000-0000-0000-000000000000")));

    /** Fields whose name alone says which kind of real value they take. */
    private static final Map<String, Known> NAMED = Map.of("entry_id", Known.ENTRY, "check_in_id", Known.ENTRY, "lapse_id", Known.LAPSE,
            "task_id", Known.TASK, "invite_code", Known.INVITE, "invitation_code", Known.INVITATION, "consent_id", Known.CONSENT,
            "client_person_id", Known.CLIENT, "text_sha256", Known.TEXT_SHA256, "page_token", Known.PAGE_TOKEN);

    private final FuzzScene scene;
    private final Clock clock;

    FuzzedRequests(FuzzScene scene, Clock clock) {
        this.scene = scene;
        this.clock = clock;
    }

    Message build(Descriptor type, FuzzedDataProvider data) {
        return fill(type, data, 0);
    }

    private Message fill(Descriptor type, FuzzedDataProvider data, int depth) {
        if (type.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
            return timestamp(data);
        }
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            // most fields are set, so the request passes the cheap checks and reaches the ones behind them
            if (data.remainingBytes() == 0 || data.consumeInt(0, 4) == 0) {
                continue;
            }
            if (field.isRepeated()) {
                int count = data.consumeBoolean() ? data.consumeInt(0, 3) : data.consumeInt(0, 60);
                for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
                    Object value = value(field, data, depth);
                    if (value != null) {
                        message.addRepeatedField(field, value);
                    }
                }
            } else {
                Object value = value(field, data, depth);
                if (value != null) {
                    message.setField(field, value);
                }
            }
        }
        return message.build();
    }

    private Object value(FieldDescriptor field, FuzzedDataProvider data, int depth) {
        return switch (field.getJavaType()) {
            case STRING -> text(field.getName(), data);
            case INT -> integer(field.getName(), data);
            case LONG -> data.consumeBoolean() ? LONGS[data.consumeInt(0, LONGS.length - 1)] : data.consumeLong();
            case BOOLEAN -> data.consumeBoolean();
            case FLOAT -> data.consumeFloat();
            case DOUBLE -> data.consumeDouble();
            case BYTE_STRING -> com.google.protobuf.ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, 64)));
            case ENUM -> enumValue(field.getEnumType(), data);
            case MESSAGE -> depth >= MAX_DEPTH ? null : fill(field.getMessageType(), data, depth + 1);
        };
    }

    private int integer(String field, FuzzedDataProvider data) {
        if (field.equals("version") && data.consumeBoolean()) {
            return Integer.parseInt(pick(scene.known(Known.VERSION), data));
        }
        return data.consumeBoolean() ? INTS[data.consumeInt(0, INTS.length - 1)] : data.consumeInt();
    }

    private static Object enumValue(EnumDescriptor type, FuzzedDataProvider data) {
        if (data.consumeInt(0, 5) > 0) {
            return type.getValues().get(data.consumeInt(0, type.getValues().size() - 1));
        }
        // a number the API does not define, as a newer or hostile client sends it
        return type.findValueByNumberCreatingIfUnknown(data.consumeBoolean() ? data.consumeInt(-2, 40) : data.consumeInt());
    }

    private Timestamp timestamp(FuzzedDataProvider data) {
        long now = clock.instant().getEpochSecond();
        long seconds = switch (data.consumeInt(0, 4)) {
            case 0 -> now + data.consumeLong(-3600, 3600);
            case 1 -> now + data.consumeLong(-40L * 86400, 40L * 86400);
            case 2 -> LONGS[data.consumeInt(0, LONGS.length - 1)];
            case 3 -> data.consumeLong();
            default -> now - data.consumeInt(0, 8) * 86400L;
        };
        int nanos = data.consumeBoolean() ? data.consumeInt(0, 999_999_999)
                : new int[] {0, -1, 1_000_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE}[data.consumeInt(0, 4)];
        return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }

    private String text(String field, FuzzedDataProvider data) {
        Known kind = kindNamedBy(field);
        List<String> special = SPECIAL.get(field);
        int choice = data.consumeInt(0, 9);
        if (kind != null && choice < 5) {
            return pick(scene.known(kind), data);
        }
        if (special != null && choice < 7) {
            return pick(special, data);
        }
        return switch (data.consumeInt(0, 7)) {
            case 0 -> pick(SHAPES, data);
            case 1 -> pick(scene.known(Known.values()[data.consumeInt(0, Known.values().length - 1)]), data);
            case 2 -> data.consumeAsciiString(40);
            case 3 -> repeated(data);
            case 4 -> "idempotency_key".equals(field) ? "fuzz-key-" + data.consumeInt(0, 3) : data.consumeString(40);
            default -> data.consumeString(200);
        };
    }

    /** Text of a length near or past a limit, the character one the fuzzer picks (which may need several UTF-8 bytes). */
    private static String repeated(FuzzedDataProvider data) {
        int length = TEXT_LENGTHS[data.consumeInt(0, TEXT_LENGTHS.length - 1)];
        char character = data.consumeChar();
        if (Character.isSurrogate(character)) {
            character = 'x';
        }
        return String.valueOf(character).repeat(length);
    }

    private static String pick(List<String> values, FuzzedDataProvider data) {
        return values.isEmpty() ? "" : values.get(data.consumeInt(0, values.size() - 1));
    }

    private static Known kindNamedBy(String field) {
        Known named = NAMED.get(field);
        if (named != null) {
            return named;
        }
        if (field.endsWith("couple_id")) {
            return Known.COUPLE;
        }
        if (field.startsWith("boundar")) {
            return Known.BOUNDARY;
        }
        if (field.endsWith("person_id")) {
            return Known.PERSON;
        }
        if (field.equals("conversation_id") || field.equals("victory_id") || field.equals("need_id")
                || field.equals("goal_id")) {
            return Known.TALK;
        }
        return null;
    }
}
