package app.tandem.platform.privacy;

import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.PersonalDataItem;
import app.tandem.api.v1.Role;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.security.Caller;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The export's stream against a call that takes items only when it says it is ready, as grpc-java's does. */
class PrivacyEndpointTest {

    private static final ExportMyDataRequest HERE = ExportMyDataRequest.newBuilder().setService("journal-service").build();

    @Test
    void itemsLeaveOnlyWhileTheClientTakesThemAndTheExportEnds() {
        PersonalData three = new PersonalData() {
            @Override
            public void export(String personId, PersonalDataExport export) {
                for (int i = 1; i <= 3; i++) {
                    export.item("check-in", personId + "-" + i, Map.of("mood", i));
                }
            }

            @Override
            public void erase(String personId) {
            }
        };
        try (PrivacyEndpoint endpoint = new PrivacyEndpoint("journal-service", List.of(three), new GrpcErrorMapping(), 1, 2)) {
            Call call = new Call();
            as("alex", () -> endpoint.exportMyData(HERE, call));
            await().atMost(Duration.ofSeconds(5)).until(() -> call.readyAsked.get() > 0);
            assertThat(call.sent).as("held back while the client cannot take more").isEmpty();

            call.becomeReady();
            await().atMost(Duration.ofSeconds(5)).until(call.completed::get);
            assertThat(call.sent).extracting(PersonalDataItem::getId).containsExactly("alex-1", "alex-2", "alex-3");
            assertThat(call.sent.get(1).getJson()).isEqualTo("{\"mood\":2}");
            assertThat(call.sent).allSatisfy(item -> assertThat(item.getService()).isEqualTo("journal-service"));
        }
    }

    @Test
    void aPersonRunsOneExportAtATimeAndAnotherServiceIsNamed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PersonalData slow = new PersonalData() {
            @Override
            public void export(String personId, PersonalDataExport export) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void erase(String personId) {
            }
        };
        try (PrivacyEndpoint endpoint = new PrivacyEndpoint("journal-service", List.of(slow), new GrpcErrorMapping(), 1, 2)) {
            Call first = new Call();
            first.becomeReady();
            as("alex", () -> endpoint.exportMyData(HERE, first));
            assertThatThrownBy(() -> as("alex", () -> endpoint.exportMyData(HERE, new Call())))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            Call sams = new Call();
            sams.becomeReady();
            as("sam", () -> endpoint.exportMyData(HERE, sams));
            assertThatThrownBy(() -> as("kim", () -> endpoint.exportMyData(HERE, new Call())))
                    .as("the instance runs two at once").isInstanceOf(StatusRuntimeException.class);
            assertThatThrownBy(() -> as("kim", () -> endpoint.exportMyData(ExportMyDataRequest.newBuilder().setService("plans-service")
                    .build(), new Call()))).isInstanceOfSatisfying(InvalidInput.class,
                    e -> assertThat(e.violations()).extracting(InvalidInput.FieldViolation::field).containsExactly("service"));

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> first.completed.get() && sams.completed.get());
            Call again = new Call();
            again.becomeReady();
            as("alex", () -> endpoint.exportMyData(HERE, again));
            await().atMost(Duration.ofSeconds(5)).until(again.completed::get);
        }
    }

    private static void as(String personId, Runnable call) {
        Caller.person(personId, Set.of(Role.ROLE_PARTNER), "", "request").attachTo(Context.current()).run(call);
    }

    private static final class Call extends ServerCallStreamObserver<PersonalDataItem> {
        final List<PersonalDataItem> sent = new CopyOnWriteArrayList<>();
        final AtomicBoolean completed = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger readyAsked = new AtomicInteger();
        private volatile boolean ready;
        private volatile Runnable onReady = () -> { };

        void becomeReady() {
            ready = true;
            onReady.run();
        }

        @Override
        public boolean isReady() {
            readyAsked.incrementAndGet();
            return ready;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
        }

        @Override
        public void onNext(PersonalDataItem value) {
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            failure.set(t);
        }

        @Override
        public void onCompleted() {
            completed.set(true);
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}
