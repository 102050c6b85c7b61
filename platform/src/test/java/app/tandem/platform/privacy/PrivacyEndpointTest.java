package app.tandem.platform.privacy;

import app.tandem.api.v1.ExportMyDataRequest;
import app.tandem.api.v1.PersonalDataItem;
import app.tandem.api.v1.Role;
import app.tandem.platform.domain.InvalidInput;
import app.tandem.platform.grpc.GrpcErrorMapping;
import app.tandem.platform.grpc.ReadyOnDemandCall;
import app.tandem.platform.security.Caller;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
            ReadyOnDemandCall<PersonalDataItem> call = new ReadyOnDemandCall<>(false);
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
            ReadyOnDemandCall<PersonalDataItem> first = new ReadyOnDemandCall<>(false);
            first.becomeReady();
            as("alex", () -> endpoint.exportMyData(HERE, first));
            assertThatThrownBy(() -> as("alex", () -> endpoint.exportMyData(HERE, new ReadyOnDemandCall<PersonalDataItem>(false))))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            ReadyOnDemandCall<PersonalDataItem> sams = new ReadyOnDemandCall<>(false);
            sams.becomeReady();
            as("sam", () -> endpoint.exportMyData(HERE, sams));
            assertThatThrownBy(() -> as("kim", () -> endpoint.exportMyData(HERE, new ReadyOnDemandCall<PersonalDataItem>(false))))
                    .as("the instance runs two at once").isInstanceOf(StatusRuntimeException.class);
            assertThatThrownBy(() -> as("kim", () -> endpoint.exportMyData(ExportMyDataRequest.newBuilder().setService("plans-service")
                    .build(), new ReadyOnDemandCall<PersonalDataItem>(false)))).isInstanceOfSatisfying(InvalidInput.class,
                    e -> assertThat(e.violations()).extracting(InvalidInput.FieldViolation::field).containsExactly("service"));

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> first.completed.get() && sams.completed.get());
            ReadyOnDemandCall<PersonalDataItem> again = new ReadyOnDemandCall<>(false);
            again.becomeReady();
            as("alex", () -> endpoint.exportMyData(HERE, again));
            await().atMost(Duration.ofSeconds(5)).until(again.completed::get);
        }
    }

    private static void as(String personId, Runnable call) {
        Caller.person(personId, Set.of(Role.ROLE_PARTNER), "", "request").attachTo(Context.current()).run(call);
    }
}
