package app.tandem.platform.privacy;

import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.PersonalDataItem;
import app.tandem.api.v1.PrivacyServiceGrpc;
import app.tandem.platform.domain.Validation;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.security.Caller;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A person's export of what this service holds about them: every feature's {@link PersonalData}, in turn, one item at a
 * time and only as fast as the client takes them. The features push their items, so each export runs on a thread of
 * its own that waits while the call is not ready; the number of exports is capped per person and per instance.
 */
public class PrivacyEndpoint implements PrivacyServiceGrpc.AsyncService, AutoCloseable {

    /** How long an export waits for a client that reads nothing before it gives the thread back. */
    static final Duration STALLED = Duration.ofMinutes(2);

    private final String serviceName;
    private final List<PersonalData> features;
    private final GrpcErrorMapping errors;
    private final int perPerson;
    private final int perInstance;
    private final ExecutorService exporters;
    private final Map<String, Integer> openByPerson = new ConcurrentHashMap<>();
    private final AtomicInteger openHere = new AtomicInteger();
    private final JsonMapper json = JsonMapper.builder().build();

    public PrivacyEndpoint(String serviceName, List<PersonalData> features, GrpcErrorMapping errors, int perPerson, int perInstance) {
        this.serviceName = serviceName;
        this.features = List.copyOf(features);
        this.errors = errors;
        this.perPerson = perPerson;
        this.perInstance = perInstance;
        this.exporters = Executors.newFixedThreadPool(perInstance, runnable -> {
            Thread thread = new Thread(runnable, "personal-data-export");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void exportMyData(ExportMyDataRequest request, StreamObserver<PersonalDataItem> response) {
        new Validation().require(serviceName.equals(request.getService()), "service",
                "names " + request.getService() + ", but this is " + serviceName).orThrow();
        String personId = Caller.current().personId();
        open(personId);
        ServerCallStreamObserver<PersonalDataItem> call = (ServerCallStreamObserver<PersonalDataItem>) response;
        Export export = new Export(personId, call);
        // both handlers must be set here, in the service method, as grpc-java requires
        call.setOnReadyHandler(export::wake);
        call.setOnCancelHandler(export::wake);
        try {
            exporters.execute(export);
        } catch (RuntimeException rejected) {
            release(personId);
            throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription("server shutting down, try again"));
        }
    }

    private void open(String personId) {
        if (openHere.incrementAndGet() > perInstance) {
            openHere.decrementAndGet();
            throw new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription("too many exports are under way here: try again shortly"));
        }
        if (openByPerson.merge(personId, 1, Integer::sum) > perPerson) {
            release(personId);
            throw new StatusRuntimeException(Status.RESOURCE_EXHAUSTED.withDescription(
                    "you have " + perPerson + " export" + (perPerson == 1 ? "" : "s") + " under way already: wait for it to end"));
        }
    }

    private void release(String personId) {
        openByPerson.computeIfPresent(personId, (p, count) -> count == 1 ? null : count - 1);
        openHere.decrementAndGet();
    }

    @Override
    public void close() {
        exporters.shutdownNow();
    }

    /** Ends an export whose client went away or stopped reading. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    private final class Export implements Runnable {
        private final String personId;
        private final ServerCallStreamObserver<PersonalDataItem> call;
        private final Object readiness = new Object();

        Export(String personId, ServerCallStreamObserver<PersonalDataItem> call) {
            this.personId = personId;
            this.call = call;
        }

        void wake() {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        }

        @Override
        public void run() {
            try {
                for (PersonalData feature : features) {
                    feature.export(personId, this::send);
                }
                call.onCompleted();
            } catch (Abandoned abandoned) {
                if (!call.isCancelled()) {
                    call.onError(Status.DEADLINE_EXCEEDED.withDescription("the export waited too long for the client to read").asException());
                }
            } catch (RuntimeException e) {
                if (!call.isCancelled()) {
                    call.onError(errors.handleException(e));
                }
            } finally {
                release(personId);
            }
        }

        /** Only this thread sends; the call's own threads merely wake it when the client can take more. */
        private void send(String kind, String id, Map<String, Object> fields) {
            awaitReady();
            call.onNext(PersonalDataItem.newBuilder().setService(serviceName).setKind(kind).setId(id)
                    .setJson(json.writeValueAsString(fields)).build());
        }

        private void awaitReady() {
            long deadline = System.nanoTime() + STALLED.toNanos();
            synchronized (readiness) {
                while (!call.isReady()) {
                    long left = deadline - System.nanoTime();
                    if (call.isCancelled() || left <= 0) {
                        throw new Abandoned();
                    }
                    try {
                        // woken by the ready and cancel handlers; the bound only covers a wake-up that came just before the wait
                        readiness.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 1_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Abandoned();
                    }
                }
            }
        }
    }
}
