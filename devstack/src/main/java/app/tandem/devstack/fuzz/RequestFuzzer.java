package app.tandem.devstack.fuzz;

import app.tandem.api.v1.Access;
import app.tandem.api.v1.Role;
import app.tandem.devstack.fuzz.FuzzScene.Caller;
import app.tandem.platform.grpc.AccessRules;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.platform.grpc.PublicApi;
import app.tandem.platform.grpc.RawBytes;
import app.tandem.testkit.DevTokenIssuer;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.mongodb.client.MongoDatabase;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request per fuzzer input through the gateway, as a phone would, to any RPC of the public API, and says
 * what went wrong with the answer: a status other than the API's refusals (INTERNAL, UNKNOWN, DATA_LOSS,
 * UNAVAILABLE, a call that outlived its deadline), INVALID_ARGUMENT that names no field, anything logged at ERROR
 * meanwhile, and, when asked to, a document stored by a request that was refused.
 *
 * <p>A request is the fuzzer's bytes as they are, a message built field by field from the fuzzer ({@link
 * FuzzedRequests}), or such a message with the fuzzer's bytes after it. Requests go one at a time, so the documents
 * counted before and after a refused one are its own doing, or an earlier request's effects still on their way, which
 * a second attempt on a quiet stack tells apart.
 */
public final class RequestFuzzer {

    /** Answers the API gives to a request it refuses; anything else, but OK, is a finding. */
    private static final Set<Status.Code> REFUSALS = EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS, Status.Code.PERMISSION_DENIED, Status.Code.FAILED_PRECONDITION, Status.Code.ABORTED,
            Status.Code.OUT_OF_RANGE, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAUTHENTICATED);
    private static final Duration SETTLED_AFTER = Duration.ofMillis(150);
    private static final Duration LONGEST_SETTLING = Duration.ofSeconds(10);
    private static final int INPUTS_PER_SCENE = 250;

    /** How a request's bytes were made. */
    public enum Form { RAW_BYTES, FUZZED_MESSAGE, FUZZED_MESSAGE_WITH_TAIL }

    /** One request that got an answer it must not get, with what it sent. */
    public record Finding(String rpc, Caller caller, Form form, String problem, byte[] request) {
        public String describe() {
            return rpc + " by " + caller + " (" + form + "): " + problem + "\n  request (" + request.length + " bytes): "
                    + hex(request);
        }
    }

    /** Answered OK, these change the scene's couple or consent, which is made again after a while. */
    private static final Set<String> CHANGING_THE_SCENE = Set.of("LeaveCouple", "JoinCouple", "RevokeConsent", "EndTreatment");

    /**
     * One public RPC: its descriptor over raw bytes, its request type, and the caller its service admits when it admits
     * operators alone or counselors alone (null for partners' services).
     */
    private record Rpc(MethodDescriptor<byte[], byte[]> method, Descriptor request, Caller staff) {
        String name() {
            return method.getFullMethodName();
        }
    }

    private final Channel gateway;
    private final FuzzScene scene;
    private final FuzzedRequests requests;
    private final StoredDocuments stored;
    private final ErrorLogs errors;
    private final boolean checkStorage;
    private final List<Rpc> rpcs = new ArrayList<>();
    private final FuzzTally tally = new FuzzTally();
    /** Whether a request changed the scene's couple or ended its consent, and when the scene was last made. */
    private boolean stale;
    private long renewedAt;
    /** The counts before the next request, when no request was taken since they were counted. */
    private Map<String, Long> baseline;

    /**
     * @param databases    each service's database by service name; their counts are compared around refused requests
     *                     when {@code checkStorage}
     */
    public RequestFuzzer(Channel gateway, DevTokenIssuer issuer, Map<String, MongoDatabase> databases, Clock clock,
                         Duration tokenLifetime, boolean checkStorage) {
        allowLoopbackOnly();
        this.gateway = gateway;
        this.checkStorage = checkStorage;
        this.errors = ErrorLogs.attach();
        this.scene = new FuzzScene(gateway, issuer, tokenLifetime);
        this.requests = new FuzzedRequests(scene, clock);
        this.stored = new StoredDocuments(databases);
        PublicApi.services().forEach(service -> service.getMethods().forEach(method -> rpcs.add(rpc(method))));
        rpcs.sort(Comparator.comparing(Rpc::name));
        errors.drain();
    }

    private static Rpc rpc(MethodDescriptor<?, ?> method) {
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
        List<Role> roles = AccessRules.of(method).map(Access::getRolesList).orElse(List.of());
        Caller staff = roles.equals(List.of(Role.ROLE_OPERATOR)) ? Caller.OPERATOR
                : roles.equals(List.of(Role.ROLE_COUNSELOR)) ? Caller.COUNSELOR : null;
        return new Rpc(method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build(), prototype.getDescriptorForType(), staff);
    }

    public FuzzTally tally() {
        return tally;
    }

    /** The names of every RPC the fuzzer can call. */
    public List<String> rpcNames() {
        return rpcs.stream().map(Rpc::name).toList();
    }

    /**
     * The stack talks to itself over loopback (gRPC, Kafka, the Mongo-wire server); Jazzer's SSRF detector reports any
     * other connection, such as one to an address a request named, in whichever thread makes it.
     */
    public static void allowLoopbackOnly() {
        try {
            BugDetectors.allowNetworkConnections(RequestFuzzer::loopback);
        } catch (IllegalStateException noAgentYet) {
            // Jazzer's agent is not in this JVM (yet): there is no detector to tell
        }
    }

    private static boolean loopback(String host, int port) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    /** Sends the request this input describes and returns what was wrong with its answer, if anything. */
    public Optional<Finding> fuzz(FuzzedDataProvider data) {
        // Jazzer forbids every connection before the first fuzzed input, also when regression inputs ran before it
        // in this JVM; the policy is one reference set, cheap beside a request
        allowLoopbackOnly();
        if (stale && tally.inputs() - renewedAt >= INPUTS_PER_SCENE) {
            // a new couple for later inputs, seldom: making one runs far more code than any request, and the fuzzer,
            // guided by coverage, would otherwise learn to leave the couple over and over
            settle();
            scene.renew();
            tally.renewed();
            renewedAt = tally.inputs();
            stale = false;
            baseline = null;
        }
        Rpc rpc = rpcs.get(data.consumeInt(0, rpcs.size() - 1));
        Caller caller = caller(rpc, data.consumeInt(0, 9));
        Form form = switch (data.consumeInt(0, 9)) {
            case 0, 1 -> Form.RAW_BYTES;
            case 2 -> Form.FUZZED_MESSAGE_WITH_TAIL;
            default -> Form.FUZZED_MESSAGE;
        };
        byte[] request = switch (form) {
            case RAW_BYTES -> data.consumeRemainingAsBytes();
            case FUZZED_MESSAGE -> requests.build(rpc.request(), data).toByteArray();
            case FUZZED_MESSAGE_WITH_TAIL -> concat(requests.build(rpc.request(), data).toByteArray(), data.consumeRemainingAsBytes());
        };
        Map<String, Long> before = null;
        if (checkStorage) {
            if (baseline == null) {
                baseline = stored.count();
            }
            before = baseline;
        }
        Answer answer = send(rpc, caller, request);
        tally.record(rpc.name(), form, answer.code());
        Optional<Finding> finding = check(rpc, caller, form, request, answer, before);
        finding.ifPresent(tally::found);
        if (answer.code() == Status.Code.OK && CHANGING_THE_SCENE.contains(rpc.method().getBareMethodName())) {
            // the couple, or the consent, is no longer the one the scene describes
            stale = true;
        }
        return finding;
    }

    private Optional<Finding> check(Rpc rpc, Caller caller, Form form, byte[] request, Answer answer, Map<String, Long> before) {
        Status.Code code = answer.code();
        if (code == Status.Code.OK) {
            // what it stored, and what its effects store after it, is the next request's starting point
            baseline = null;
        }
        // an error logged in the background (a processor's handler) shows with the request that follows it
        List<String> logged = errors.drain();
        String logs = logged.isEmpty() ? "" : "; meanwhile logged:\n" + String.join("\n", logged);
        if (code != Status.Code.OK && !REFUSALS.contains(code)) {
            return Optional.of(new Finding(rpc.name(), caller, form, "answered " + code + " (" + answer.description() + ")" + logs, request));
        }
        if (code == Status.Code.INVALID_ARGUMENT && answer.fields().isEmpty()) {
            return Optional.of(new Finding(rpc.name(), caller, form, "INVALID_ARGUMENT naming no field (" + answer.description() + ")" + logs,
                    request));
        }
        if (!logged.isEmpty()) {
            return Optional.of(new Finding(rpc.name(), caller, form, "answered " + code + logs, request));
        }
        if (before != null && code != Status.Code.OK) {
            Map<String, Long> after = stored.count();
            Map<String, String> changed = StoredDocuments.changes(before, after);
            if (!changed.isEmpty()) {
                return storedAfterRefusal(rpc, caller, form, request, answer, changed);
            }
            baseline = after;
        }
        return Optional.empty();
    }

    /**
     * Counts that moved around a refused request may have moved for an earlier request whose effects were still on
     * their way (processors, the Kafka bridge, the inbox keep writing for a while after a request returns). The request
     * is sent again once the stack is quiet: a refusal that stores nothing refuses alike and stores nothing again.
     */
    private Optional<Finding> storedAfterRefusal(Rpc rpc, Caller caller, Form form, byte[] request, Answer first, Map<String, String> changed) {
        tally.rechecked();
        Map<String, Long> quiet = settle();
        Answer again = send(rpc, caller, request);
        Map<String, Long> after = stored.count();
        Map<String, String> changedAgain = StoredDocuments.changes(quiet, after);
        baseline = again.code() == Status.Code.OK ? null : after;
        if (again.code() == first.code() && changedAgain.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(rpc.name(), caller, form, "refused with " + first.code() + " (" + first.description()
                + ") yet stored " + changed + "; sent again once the stack was quiet: " + again.code() + ", stored " + changedAgain,
                request));
    }

    /** Waits until no collection's count has moved for a moment and returns the counts then. */
    private Map<String, Long> settle() {
        long end = System.nanoTime() + LONGEST_SETTLING.toNanos();
        Map<String, Long> last = stored.count();
        while (System.nanoTime() < end) {
            sleep(SETTLED_AFTER);
            Map<String, Long> now = stored.count();
            if (now.equals(last)) {
                break;
            }
            last = now;
        }
        return last;
    }

    private Caller caller(Rpc rpc, int choice) {
        if (rpc.staff() != null) {
            // mostly the staff the service is for; now and then a partner or the other kind of staff
            Caller otherStaff = rpc.staff() == Caller.OPERATOR ? Caller.COUNSELOR : Caller.OPERATOR;
            return choice < 8 ? rpc.staff() : choice == 8 ? Caller.PARTNER : otherStaff;
        }
        return switch (choice) {
            case 0, 1, 2, 3, 4 -> Caller.PARTNER;
            case 5, 6 -> Caller.OTHER_PARTNER;
            case 7 -> Caller.OUTSIDER;
            case 8 -> Caller.COUNSELOR;
            default -> Caller.OPERATOR;
        };
    }

    private record Answer(Status.Code code, String description, List<String> fields) {
    }

    private Answer send(Rpc rpc, Caller caller, byte[] request) {
        CallOptions options = CallOptions.DEFAULT.withCallCredentials(scene.token(caller)).withDeadlineAfter(30, TimeUnit.SECONDS);
        if (rpc.method().getType() == MethodDescriptor.MethodType.UNARY) {
            try {
                ClientCalls.blockingUnaryCall(gateway, rpc.method(), options, request);
                return new Answer(Status.Code.OK, "", List.of());
            } catch (StatusRuntimeException e) {
                return new Answer(e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()), FieldViolations.fieldsOf(e));
            }
        }
        return stream(rpc, options, request);
    }

    /** A stream's first answer: its status if it ends at once, else OK, and it is hung up on. */
    private Answer stream(Rpc rpc, CallOptions options, byte[] request) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = gateway.newCall(rpc.method(), options);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                answer.complete(new Answer(Status.Code.OK, "", List.of()));
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                answer.complete(new Answer(status.getCode(), String.valueOf(status.getDescription()),
                        FieldViolations.fieldsOf(status.asRuntimeException(trailers))));
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
        try {
            return answer.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillOpen) {
            return new Answer(Status.Code.OK, "", List.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            call.cancel("answered", null);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The request's first 2 KB as hex. */
    static String hex(byte[] request) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(request.length, 2048); i++) {
            hex.append(String.format("%02x", request[i]));
        }
        return hex + (request.length > 2048 ? "…" : "");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
