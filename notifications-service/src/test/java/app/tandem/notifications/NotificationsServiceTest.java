package app.tandem.notifications;

import app.tandem.platform.crypto.Hmac;
import app.tandem.api.v1.ConfirmContactRequest;
import app.tandem.api.v1.ContactChannel;
import app.tandem.api.v1.ContactState;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.GetPreferencesRequest;
import app.tandem.api.v1.GoalKind;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListProcessorsRequest;
import app.tandem.api.v1.ListProcessorsResponse;
import app.tandem.api.v1.ListTimelineRequest;
import app.tandem.api.v1.MarkReadRequest;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.OperatorServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.SetGoalRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.api.v1.Role;
import app.tandem.api.v1.SnoozePartnerRequest;
import app.tandem.api.v1.WatchNotificationsRequest;
import app.tandem.events.v1.BoundaryCrossed;
import app.tandem.events.v1.BoundaryProposed;
import app.tandem.events.v1.BoundaryReviewDue;
import app.tandem.events.v1.CheckInShared;
import app.tandem.events.v1.CoupleCreated;
import app.tandem.events.v1.CoupleDissolved;
import app.tandem.events.v1.ConsentExpiring;
import app.tandem.events.v1.CounselorFirstRead;
import app.tandem.events.v1.CoupleMilestoneReached;
import app.tandem.events.v1.EventEnvelope;
import app.tandem.events.v1.LapseDisclosed;
import app.tandem.events.v1.MilestoneReached;
import app.tandem.events.v1.PartnerJoined;
import app.tandem.events.v1.RelapseFirstWeekFollowUpDue;
import app.tandem.events.v1.RelapsePlanReviewDue;
import app.tandem.events.v1.SafetyPlanDraftChanged;
import app.tandem.events.v1.SupportRequested;
import app.tandem.journal.JournalApplication;
import app.tandem.platform.eventstore.MongoEventStorageEngine;
import app.tandem.platform.grpc.FieldViolations;
import app.tandem.platform.security.Caller;
import app.tandem.platform.time.SettableClock;
import app.tandem.testkit.EmbeddedStack;
import app.tandem.testkit.RunningService;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.sun.net.httpserver.HttpServer;
import app.tandem.notifications.inbox.InboxEndpoint;
import io.grpc.CallCredentials;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * notifications-service on the embedded stack: the journal's events published to Kafka as journal-service
 * publishes them, each rule followed to the inbox, the stream, the SMTP server and a webhook receiver. The
 * service reads a clock the test moves.
 */
class NotificationsServiceTest {

    private static final String TOPIC = "tandem.journal.v1";
    private static final SettableClock clock = new SettableClock();
    private static Map<String, Object> properties;
    private static RunningService journal;
    private static RunningService notifications;
    private static KafkaProducer<String, byte[]> producer;
    private static GreenMail smtp;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        // the journal answers when a person last checked in, for daily reminders
        journal = RunningService.start(JournalApplication.NAME, JournalApplication.class, EmbeddedStack.shared().serviceProperties(JournalApplication.NAME), clock);
        properties = new HashMap<>(EmbeddedStack.shared().serviceProperties(NotificationsApplication.NAME));
        properties.put("tandem.notifications.journal-target", "127.0.0.1:" + journal.port());
        properties.put("tandem.notifications.reminder-interval", "200ms");
        properties.put("spring.mail.host", "127.0.0.1");
        properties.put("spring.mail.port", smtp.getSmtp().getPort());
        properties.put("tandem.notifications.max-attempts", 3);
        properties.put("tandem.notifications.digest-interval", "200ms");
        properties.put("tandem.notifications.stream-gap-wait", "3s");
        properties.put("tandem.notifications.allow-local-webhooks", true); // the receivers here listen on 127.0.0.1
        notifications = startService();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.shared().kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static RunningService startService() {
        return RunningService.start(NotificationsApplication.NAME, NotificationsApplication.class, properties, clock);
    }

    @AfterAll
    static void stop() {
        producer.close();
        notifications.close();
        journal.close();
        smtp.stop();
    }

    private record Couple(String id, String alex, String sam) {
    }

    private static Couple couple() {
        String id = UUID.randomUUID().toString();
        Couple couple = new Couple(id, "alex-" + UUID.randomUUID(), "sam-" + UUID.randomUUID());
        publish(id, CoupleCreated.newBuilder().setCoupleId(id).setFounderPersonId(couple.alex()).build());
        publish(id, PartnerJoined.newBuilder().setCoupleId(id).setPersonId(couple.sam()).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(couple.alex()).contains(NotificationKind.PARTNER_JOINED));
        return couple;
    }

    private static String publish(String coupleId, Message payload) {
        String eventId = UUID.randomUUID().toString();
        publish(coupleId, eventId, payload);
        return eventId;
    }

    private static void publish(String coupleId, String eventId, Message payload) {
        publish(TOPIC, coupleId, eventId, payload);
    }

    private static void publish(String topic, String coupleId, String eventId, Message payload) {
        EventEnvelope envelope = EventEnvelope.newBuilder().setEventId(eventId)
                .setEventType(payload.getDescriptorForType().getFullName()).setSchemaVersion(1).setCoupleId(coupleId)
                .setPayload(Any.pack(payload)).build();
        try {
            producer.send(new ProducerRecord<>(topic, coupleId, envelope.toByteArray())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CheckInShared shared(Couple couple) {
        return CheckInShared.newBuilder().setCheckInId(UUID.randomUUID().toString()).setCoupleId(couple.id())
                .setAuthorPersonId(couple.alex()).setPartnerPersonId(couple.sam()).build();
    }

    /** The gateway's assertion that {@code person}, a partner, calls {@code service}. */
    private static CallCredentials as(RunningService service, String person) {
        return service.asPartner(person);
    }

    /** The whole inbox, newest first, read page by page. */
    private static List<Notification> inbox(String person) {
        List<Notification> all = new ArrayList<>();
        String before = "";
        do {
            var page = NotificationServiceGrpc.newBlockingStub(notifications.channel()).withCallCredentials(as(notifications, person))
                    .listNotifications(ListNotificationsRequest.newBuilder().setPageSize(100).setBeforeCursor(before).build());
            all.addAll(page.getNotificationsList());
            before = page.getNextBeforeCursor();
        } while (!before.isEmpty());
        return all;
    }

    private static List<NotificationKind> kinds(String person) {
        return inbox(person).stream().map(Notification::getKind).toList();
    }

    private static void prefer(String person, NotificationPreferences.Builder preferences) {
        NotificationServiceGrpc.newBlockingStub(notifications.channel()).withCallCredentials(as(notifications, person))
                .setPreferences(preferences.build());
    }

    private static NotificationPreferences confirm(String person, ContactChannel channel, String code) {
        return NotificationServiceGrpc.newBlockingStub(notifications.channel()).withCallCredentials(as(notifications, person))
                .confirmContact(ConfirmContactRequest.newBuilder().setChannel(channel).setCode(code).build());
    }

    private static NotificationPreferences preferencesOf(String person) {
        return NotificationServiceGrpc.newBlockingStub(notifications.channel()).withCallCredentials(as(notifications, person))
                .getPreferences(GetPreferencesRequest.getDefaultInstance());
    }

    private static final Pattern CODE = Pattern.compile("\"code\":\"([A-Z0-9-]+)\"|enter this code in the app: ([A-Z0-9-]+)");

    /** The confirmation code in a challenge's webhook body or e-mail text, if it is one. */
    private static Optional<String> codeIn(String text) {
        Matcher code = CODE.matcher(text);
        return code.find() ? Optional.of(code.group(1) != null ? code.group(1) : code.group(2)) : Optional.empty();
    }

    /** A webhook receiver's handler that keeps challenges' codes apart from updates, which go to {@code updates}. */
    private static void receive(com.sun.net.httpserver.HttpExchange exchange, BlockingQueue<String> codes,
                                com.sun.net.httpserver.HttpHandler updates) throws java.io.IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Optional<String> code = codeIn(new String(body, StandardCharsets.UTF_8));
        if (code.isPresent()) {
            codes.add(code.get());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        exchange.setStreams(new java.io.ByteArrayInputStream(body), null);
        updates.handle(exchange);
    }

    @Test
    void everyJournalEventBecomesThePromptItsRuleSays() {
        Couple couple = couple();
        publish(couple.id(), shared(couple));
        publish(couple.id(), LapseDisclosed.newBuilder().setLapseId("l1").setCoupleId(couple.id()).setPersonId(couple.sam())
                .setPartnerPersonId(couple.alex()).build());
        // a milestone the journal does not give (unknown, or its person erased since) has no days to celebrate
        publish(couple.id(), MilestoneReached.newBuilder().setMilestoneId(UUID.randomUUID().toString()).setCoupleId(couple.id())
                .setPersonId(couple.alex()).setSharedWithPartner(true).setPartnerPersonId(couple.sam()).build());
        publish(couple.id(), CoupleMilestoneReached.newBuilder().setCoupleId(couple.id()).setDays(30)
                .addPartnerPersonIds(couple.alex()).addPartnerPersonIds(couple.sam()).build());
        publish(couple.id(), SupportRequested.newBuilder().setRequestId("s1").setCoupleId(couple.id()).setPersonId(couple.alex())
                .setPartnerPersonId(couple.sam()).build());
        publish(couple.id(), CoupleDissolved.newBuilder().setCoupleId(couple.id()).setRemainingPersonId(couple.alex()).build());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(kinds(couple.sam())).containsExactlyInAnyOrder(NotificationKind.PARTNER_CHECKED_IN, NotificationKind.LAPSE_SELF_CARE,
                    NotificationKind.COUPLE_MILESTONE_REACHED, NotificationKind.SUPPORT_REQUESTED);
            assertThat(kinds(couple.alex())).containsExactlyInAnyOrder(NotificationKind.PARTNER_JOINED, NotificationKind.PARTNER_LAPSED,
                    NotificationKind.COUPLE_MILESTONE_REACHED, NotificationKind.JOURNAL_NO_LONGER_SHARED);
        });
        assertThat(inbox(couple.sam())).filteredOn(Notification::getUrgent).extracting(Notification::getKind)
                .containsExactly(NotificationKind.SUPPORT_REQUESTED);
        // lock-screen safe: nothing about mood, craving or what was used
        assertThat(inbox(couple.sam())).allSatisfy(n -> assertThat(n.getTitle() + n.getBody()).doesNotContainIgnoringCase("alone").doesNotContain("8"));
    }

    @Test
    void theServiceKeepsNoEventStoreWhileTheJournalBesideItOnTheClassPathDoes() {
        assertThat(notifications.context().getBeanNamesForType(EventStore.class)).isEmpty();
        assertThat(journal.context().getBeanNamesForType(EventStore.class)).isNotEmpty();
        assertThat(notifications.context().getBean(MongoDatabase.class).listCollectionNames().into(new ArrayList<>()))
                .doesNotContain(MongoEventStorageEngine.EVENTS);
        ListProcessorsResponse processors = OperatorServiceGrpc.newBlockingStub(notifications.channel())
                .withCallCredentials(notifications.as(Caller.person("olive", Set.of(Role.ROLE_OPERATOR), "", "list-processors")))
                .listProcessors(ListProcessorsRequest.newBuilder().setService(NotificationsApplication.NAME).build());
        assertThat(processors.getProcessorsList()).isEmpty();
        assertThat(processors.getHeadPosition()).isZero();
    }

    @Test
    void aFormerMongoSettingStopsTheServiceInsteadOfBeingIgnored() {
        Map<String, Object> former = new HashMap<>(properties);
        former.put("tandem.mongo.uri", "mongodb://db.example:27017");
        assertThatThrownBy(() -> RunningService.start(NotificationsApplication.NAME, NotificationsApplication.class, former).close())
                .hasStackTraceContaining("tandem.mongo.uri is now spring.mongodb.uri");
    }

    @Test
    void theDatabaseIsTheConfiguredOneAndAcknowledgesOnlyWhatAMajorityJournaled() {
        MongoDatabase database = notifications.context().getBean(MongoDatabase.class);
        assertThat(database.getName()).isEqualTo(notifications.context().getEnvironment().getProperty("spring.mongodb.database"));
        assertThat(database.getWriteConcern()).isEqualTo(WriteConcern.MAJORITY.withJournal(true));
    }

    @Test
    void aRedeliveredEventHasNoSecondEffect() {
        Couple couple = couple();
        String eventId = UUID.randomUUID().toString();
        CheckInShared checkIn = shared(couple);
        publish(couple.id(), eventId, checkIn);
        publish(couple.id(), eventId, checkIn);
        publish(couple.id(), eventId, checkIn);
        String marker = publish(couple.id(), shared(couple));
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(couple.sam()).stream().anyMatch(n -> n.getNotificationId().startsWith(marker)));
        assertThat(inbox(couple.sam())).filteredOn(n -> n.getCheckInId().equals(checkIn.getCheckInId())).hasSize(1);
    }

    @Test
    void quietHoursHoldPromptsForAMorningDigestAcrossTheSpringClockChange() {
        Couple couple = couple();
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        prefer(couple.sam(), NotificationPreferences.newBuilder().setTimeZone("Europe/Berlin").setQuietHoursStart("22:00").setQuietHoursEnd("07:00"));
        // the evening before clocks go forward in Berlin, half past eleven local time
        Instant springChange = berlin.getRules().nextTransition(clock.instant()).getInstant();
        while (!berlin.getRules().isDaylightSavings(springChange)) {
            springChange = berlin.getRules().nextTransition(springChange).getInstant();
        }
        ZonedDateTime evening = springChange.atZone(berlin).minusDays(1).withHour(23).withMinute(30);
        clock.advanceTo(evening.toInstant());
        CheckInShared checkIn = shared(couple);
        publish(couple.id(), checkIn);
        publish(couple.id(), SupportRequested.newBuilder().setRequestId("s1").setCoupleId(couple.id()).setPersonId(couple.alex())
                .setPartnerPersonId(couple.sam()).build());

        // the call for support comes through at once; the check-in waits
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(couple.sam()).contains(NotificationKind.SUPPORT_REQUESTED));
        Instant sevenInTheMorning = evening.plusDays(1).withHour(7).withMinute(0).toInstant();
        assertThat(Duration.between(evening.toInstant(), sevenInTheMorning)).as("a night one hour shorter").isEqualTo(Duration.ofHours(6).plusMinutes(30));
        clock.advanceTo(sevenInTheMorning.minusSeconds(60));
        sleepLongerThanTheDigestInterval();
        assertThat(kinds(couple.sam())).doesNotContain(NotificationKind.PARTNER_CHECKED_IN, NotificationKind.DIGEST);

        clock.advanceTo(sevenInTheMorning.plusSeconds(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Notification> inbox = inbox(couple.sam());
            assertThat(inbox).filteredOn(n -> n.getKind() == NotificationKind.DIGEST).singleElement()
                    .satisfies(digest -> assertThat(digest.getBody()).isEqualTo("1 update is waiting for you."));
            assertThat(inbox).filteredOn(n -> n.getCheckInId().equals(checkIn.getCheckInId())).singleElement()
                    .satisfies(n -> assertThat(n.getFolded()).isTrue());
        });
    }

    @Test
    void aHeldPromptPushedAfterQuietHoursWereTurnedOffIsLeftOutOfTheDigest() {
        Couple couple = couple();
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        prefer(couple.sam(), NotificationPreferences.newBuilder().setTimeZone("Asia/Tokyo").setQuietHoursStart("22:00").setQuietHoursEnd("07:00"));
        ZonedDateTime night = clock.instant().atZone(tokyo).plusDays(1).withHour(23).withMinute(0);
        clock.advanceTo(night.toInstant());
        String redelivered = UUID.randomUUID().toString();
        CheckInShared first = shared(couple);
        CheckInShared second = shared(couple);
        publish(couple.id(), redelivered, first);
        String marker = publish(couple.id(), second);
        publish(couple.id(), SupportRequested.newBuilder().setRequestId("s-" + marker).setCoupleId(couple.id()).setPersonId(couple.alex())
                .setPartnerPersonId(couple.sam()).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(couple.sam()).contains(NotificationKind.SUPPORT_REQUESTED));

        // quiet hours off, then the first check-in's event comes again: it is pushed now, while it also waits for the digest
        prefer(couple.sam(), NotificationPreferences.newBuilder().setTimeZone("Asia/Tokyo"));
        publish(couple.id(), redelivered, first);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(couple.sam()).stream().anyMatch(n -> n.getCheckInId().equals(first.getCheckInId())));

        clock.advanceTo(night.plusDays(1).withHour(7).withMinute(1).toInstant());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Notification> inbox = inbox(couple.sam());
            assertThat(inbox).filteredOn(n -> n.getKind() == NotificationKind.DIGEST).singleElement()
                    .satisfies(digest -> assertThat(digest.getBody()).isEqualTo("1 update is waiting for you."));
            assertThat(inbox).filteredOn(n -> n.getCheckInId().equals(first.getCheckInId())).singleElement()
                    .satisfies(n -> assertThat(n.getFolded()).isFalse());
            assertThat(inbox).filteredOn(n -> n.getCheckInId().equals(second.getCheckInId())).singleElement()
                    .satisfies(n -> assertThat(n.getFolded()).isTrue());
        });
    }

    @Test
    void overTheDailyCapTheRestIsFoldedIntoTheNextDaysDigest() {
        Couple couple = couple();
        prefer(couple.sam(), NotificationPreferences.newBuilder().setTimeZone("America/New_York").setDailyCap(2)
                .addMutedKinds(NotificationKind.COUPLE_MILESTONE_REACHED));
        ZoneId newYork = ZoneId.of("America/New_York");
        clock.advanceTo(clock.instant().atZone(newYork).plusDays(1).withHour(9).withMinute(0).toInstant());
        for (int i = 0; i < 4; i++) {
            publish(couple.id(), shared(couple));
        }
        publish(couple.id(), CoupleMilestoneReached.newBuilder().setCoupleId(couple.id()).setDays(7).addPartnerPersonIds(couple.sam()).build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(inbox(couple.sam())).filteredOn(n -> n.getKind() == NotificationKind.PARTNER_CHECKED_IN).hasSize(2));
        sleepLongerThanTheDigestInterval();
        assertThat(kinds(couple.sam())).doesNotContain(NotificationKind.DIGEST, NotificationKind.COUPLE_MILESTONE_REACHED);

        clock.advanceTo(clock.instant().atZone(newYork).plusDays(1).withHour(0).withMinute(0).withSecond(1).toInstant());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Notification> inbox = inbox(couple.sam());
            assertThat(inbox).filteredOn(n -> n.getKind() == NotificationKind.DIGEST).singleElement()
                    .satisfies(digest -> assertThat(digest.getBody()).isEqualTo("2 updates are waiting for you."));
            assertThat(inbox).filteredOn(n -> n.getKind() == NotificationKind.PARTNER_CHECKED_IN).hasSize(4);
            assertThat(inbox).filteredOn(Notification::getFolded).hasSize(2);
        });
        assertThat(kinds(couple.sam())).doesNotContain(NotificationKind.COUPLE_MILESTONE_REACHED);
    }

    /**
     * Two deliveries to one person at once: the one that took the lower number stores it after the other. The open
     * stream waits for it instead of moving past; a number whose delivery never stores it (a crash) is marked
     * unused after the wait, and a delivery arriving even later takes a new number, so it is streamed too.
     */
    @Test
    void anOpenStreamWaitsForALowerNumberStoredLateAndNeverSkipsIt() throws InterruptedException {
        Couple couple = couple();
        var numbers = notifications.context().getBean(MongoDatabase.class).getCollection("inbox_sequences");
        var stored = notifications.context().getBean(MongoDatabase.class).getCollection("inbox_notifications");
        BlockingQueue<Notification> streamed = new LinkedBlockingQueue<>();
        Context.CancellableContext watching = Context.current().withCancellation();
        watching.run(() -> NotificationServiceGrpc.newStub(notifications.channel()).withCallCredentials(as(notifications, couple.sam()))
                .watchNotifications(WatchNotificationsRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Notification notification) {
                        streamed.add(notification);
                    }

                    @Override
                    public void onError(Throwable error) {
                        // the assertions below see no more notifications
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        try {
            // a delivery to sam takes the next number and is slow to store it
            long slow = numbers.findOneAndUpdate(eq("_id", couple.sam()), Updates.inc("last", 1L),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)).get("last", Number.class).longValue();
            CheckInShared first = shared(couple);
            publish(couple.id(), first);
            await().atMost(Duration.ofSeconds(20)).until(() -> stored.find(eq("checkInId", first.getCheckInId())).first() != null);
            // now the slow delivery stores its notification under the lower number
            Document late = stored.find(eq("checkInId", first.getCheckInId())).first();
            String lateCheckIn = UUID.randomUUID().toString();
            stored.insertOne(new Document(late).append("_id", "late/" + couple.sam()).append("sequence", slow)
                    .append("checkInId", lateCheckIn));
            assertThat(nextCheckIn(streamed).getCheckInId()).isEqualTo(lateCheckIn);
            assertThat(nextCheckIn(streamed).getCheckInId()).isEqualTo(first.getCheckInId());

            // a delivery takes a number and never stores it
            long lost = numbers.findOneAndUpdate(eq("_id", couple.sam()), Updates.inc("last", 1L),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)).get("last", Number.class).longValue();
            CheckInShared second = shared(couple);
            publish(couple.id(), second);
            assertThat(nextCheckIn(streamed).getCheckInId()).as("streamed after the wait").isEqualTo(second.getCheckInId());
            assertThatThrownBy(() -> stored.insertOne(new Document(late).append("_id", "lost/" + couple.sam())
                    .append("sequence", lost)))
                    .as("the number was marked unused").isInstanceOf(MongoWriteException.class);
        } finally {
            watching.cancel(null);
        }
    }

    @Test
    void twentyUrgentPromptsInAMinuteReachThePartnerAsAFewPushesAndTheRestAreOnlyListed() {
        Couple couple = couple();
        for (int i = 0; i < 20; i++) {
            publish(couple.id(), SupportRequested.newBuilder().setRequestId("flood-" + i).setCoupleId(couple.id()).setPersonId(couple.alex())
                    .setPartnerPersonId(couple.sam()).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> supportRequests(couple.sam()).size() == 20);
        List<Notification> requests = supportRequests(couple.sam());
        assertThat(requests).filteredOn(n -> !n.getFolded()).as("pushed").hasSize(3);
        assertThat(requests).filteredOn(Notification::getFolded).as("only listed").hasSize(17);
        assertThat(requests).allMatch(Notification::getUrgent);
    }

    @Test
    void aSnoozedPartnersPromptsAreOnlyListedUntilTheSnoozeEnds() {
        Couple couple = couple();
        var sam = NotificationServiceGrpc.newBlockingStub(notifications.channel()).withCallCredentials(as(notifications, couple.sam()));
        assertThat(sam.snoozePartner(SnoozePartnerRequest.newBuilder().setCoupleId(couple.id()).setMinutes(60).build()).hasSnoozedUntil()).isTrue();
        publish(couple.id(), SupportRequested.newBuilder().setRequestId("while-snoozed").setCoupleId(couple.id()).setPersonId(couple.alex())
                .setPartnerPersonId(couple.sam()).build());
        CheckInShared checkIn = shared(couple);
        publish(couple.id(), checkIn);
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(couple.sam()).stream().anyMatch(n -> checkIn.getCheckInId().equals(n.getCheckInId())));
        assertThat(inbox(couple.sam())).filteredOn(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED
                || n.getKind() == NotificationKind.PARTNER_CHECKED_IN).hasSize(2).allMatch(Notification::getFolded);

        assertThat(sam.snoozePartner(SnoozePartnerRequest.newBuilder().setCoupleId(couple.id()).setMinutes(0).build()).hasSnoozedUntil()).isFalse();
        publish(couple.id(), SupportRequested.newBuilder().setRequestId("after-snooze").setCoupleId(couple.id()).setPersonId(couple.alex())
                .setPartnerPersonId(couple.sam()).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> supportRequests(couple.sam()).size() == 2);
        assertThat(supportRequests(couple.sam())).filteredOn(n -> !n.getFolded()).hasSize(1);

        // snoozes of made-up couples cannot fill the store: a person keeps a few, the latest ending
        for (int i = 0; i < 7; i++) {
            sam.snoozePartner(SnoozePartnerRequest.newBuilder().setCoupleId(UUID.randomUUID().toString()).setMinutes(10 + i).build());
        }
        Document kept = notifications.context().getBean(MongoDatabase.class).getCollection("partner_snoozes").find(eq("_id", couple.sam())).first();
        assertThat(kept.get("couples", Document.class)).hasSize(5);

        assertThatThrownBy(() -> sam.snoozePartner(SnoozePartnerRequest.newBuilder().setCoupleId("not a couple").setMinutes(5).build()))
                .satisfies(refused -> assertThat(FieldViolations.fieldsOf(refused)).containsExactly("couple_id"));
        assertThatThrownBy(() -> sam.snoozePartner(SnoozePartnerRequest.newBuilder().setCoupleId(couple.id()).setMinutes(20_000).build()))
                .satisfies(refused -> assertThat(FieldViolations.fieldsOf(refused)).containsExactly("minutes"));
    }

    private static List<Notification> supportRequests(String person) {
        return inbox(person).stream().filter(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED).toList();
    }

    @Test
    void aPersonHasAFewStreamsOpenAtMostAndACancelledOneEndsAtOnce() {
        String person = "person-" + UUID.randomUUID();
        InboxEndpoint endpoint = notifications.context().getBean(InboxEndpoint.class);
        int before = endpoint.openStreams();
        List<Context.CancellableContext> open = new ArrayList<>();
        List<Throwable> endings = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(watch(person, endings));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.openStreams() == before + 3);
            open.add(watch(person, endings));
            await().atMost(Duration.ofSeconds(10)).until(() -> endings.size() == 1);
            assertThat(Status.fromThrowable(endings.get(0)).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(endpoint.openStreams()).isEqualTo(before + 3);

            open.forEach(context -> context.cancel(null));
            await().atMost(Duration.ofSeconds(2)).until(() -> endpoint.openStreams() == before);
            open.add(watch(person, endings));
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.openStreams() == before + 1);
            assertThat(endings).as("a slot freed by a cancelled stream is taken again").hasSize(1);
        } finally {
            open.forEach(context -> context.cancel(null));
        }
    }

    private static Context.CancellableContext watch(String person, List<Throwable> endings) {
        return watchInto(person, new LinkedBlockingQueue<>(), endings);
    }

    private static Context.CancellableContext watchInto(String person, BlockingQueue<Notification> streamed, List<Throwable> endings) {
        Context.CancellableContext watching = Context.current().withCancellation();
        watching.run(() -> NotificationServiceGrpc.newStub(notifications.channel()).withCallCredentials(as(notifications, person))
                .watchNotifications(WatchNotificationsRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(Notification notification) {
                        streamed.add(notification);
                    }

                    @Override
                    public void onError(Throwable error) {
                        if (Status.fromThrowable(error).getCode() != Status.Code.CANCELLED) {
                            endings.add(error);
                        }
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        return watching;
    }

    private static Notification nextCheckIn(BlockingQueue<Notification> streamed) throws InterruptedException {
        Notification next;
        do {
            next = streamed.poll(20, TimeUnit.SECONDS);
            assertThat(next).as("a notification arrived on the stream").isNotNull();
        } while (next.getKind() != NotificationKind.PARTNER_CHECKED_IN);
        return next;
    }

    @Test
    void unreadNotificationsAreCountedAndMarkedRead() {
        Couple couple = couple();
        publish(couple.id(), shared(couple));
        publish(couple.id(), shared(couple));
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(couple.sam()).size() == 2);
        var stub = NotificationServiceGrpc.newBlockingStub(notifications.channel()).withCallCredentials(as(notifications, couple.sam()));
        var listed = stub.listNotifications(ListNotificationsRequest.getDefaultInstance());
        assertThat(listed.getUnreadCount()).isEqualTo(2);
        String oldest = listed.getNotifications(1).getCursor();
        assertThat(stub.markRead(MarkReadRequest.newBuilder().setUpToCursor(oldest).build()).getUnreadCount()).isEqualTo(1);
        assertThat(inbox(couple.sam())).extracting(Notification::getRead).containsExactly(false, true);
    }

    @Test
    void anEmailCopyArrivesAndSaysNothingSensitive() throws Exception {
        Couple couple = couple();
        prefer(couple.sam(), NotificationPreferences.newBuilder().setEmail("sam@example.org"));
        await().atMost(Duration.ofSeconds(20)).until(() -> emailCode("sam@example.org").isPresent());
        assertThat(confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_EMAIL, emailCode("sam@example.org").orElseThrow()).getEmailState())
                .isEqualTo(ContactState.CONTACT_CONFIRMED);
        publish(couple.id(), LapseDisclosed.newBuilder().setLapseId("l1").setCoupleId(couple.id()).setPersonId(couple.alex())
                .setPartnerPersonId(couple.sam()).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of(smtp.getReceivedMessagesForDomain("example.org")).stream()
                .anyMatch(m -> recipient(m).equals("sam@example.org")));
        for (MimeMessage message : smtp.getReceivedMessagesForDomain("example.org")) {
            if (message.getSubject().contains("confirmation code")) {
                continue;
            }
            String all = message.getSubject() + message.getContent();
            assertThat(all).doesNotContainIgnoringCase("lapse").doesNotContainIgnoringCase("alone").doesNotContainIgnoringCase("partner")
                    .doesNotContain(couple.alex()).contains("Open the app");
        }
    }

    @Test
    void thePartnerWhoStaysLearnsOfALeaveAtTheirNextVisitByTheDayAloneAndNothingIsPushed() throws Exception {
        Couple couple = couple();
        String address = "stays-" + UUID.randomUUID() + "@leave.example.org";
        prefer(couple.alex(), NotificationPreferences.newBuilder().setEmail(address));
        await().atMost(Duration.ofSeconds(20)).until(() -> emailCode(address).isPresent());
        assertThat(confirm(couple.alex(), ContactChannel.CONTACT_CHANNEL_EMAIL, emailCode(address).orElseThrow()).getEmailState())
                .isEqualTo(ContactState.CONTACT_CONFIRMED);
        BlockingQueue<Notification> streamed = new LinkedBlockingQueue<>();
        List<Throwable> endings = new CopyOnWriteArrayList<>();
        Context.CancellableContext stream = watchInto(couple.alex(), streamed, endings);
        try {
            publish(couple.id(), CoupleDissolved.newBuilder().setCoupleId(couple.id()).setRemainingPersonId(couple.alex()).build());
            // something pushed after it, so that what the leave did is done by the time this arrives
            publish(couple.id(), SupportRequested.newBuilder().setRequestId("after-leave").setCoupleId(couple.id())
                    .setPersonId(couple.sam()).setPartnerPersonId(couple.alex()).build());
            await().atMost(Duration.ofSeconds(20)).until(() -> streamed.stream().anyMatch(n -> n.getKind() == NotificationKind.SUPPORT_REQUESTED));
            await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(address) == 2); // the code and the support request

            Notification leave = inbox(couple.alex()).stream().filter(n -> n.getKind() == NotificationKind.JOURNAL_NO_LONGER_SHARED)
                    .findFirst().orElseThrow();
            assertThat(leave.getFolded()).isTrue();
            assertThat(leave.getUrgent()).isFalse();
            assertThat(leave.getRead()).isFalse();
            assertThat(leave.getCreatedAt().getSeconds() % 86_400).as("dated by its day, not its moment").isZero();
            assertThat(leave.getCreatedAt().getNanos()).isZero();
            assertThat(streamed).extracting(Notification::getKind).doesNotContain(NotificationKind.JOURNAL_NO_LONGER_SHARED);
            var outbox = notifications.context().getBean(app.tandem.notifications.channels.Outbox.class);
            assertThat(outbox.status(leave.getNotificationId(), app.tandem.notifications.channels.Outbox.Channel.EMAIL)).isNull();
            assertThat(outbox.status(leave.getNotificationId(), app.tandem.notifications.channels.Outbox.Channel.WEBHOOK)).isNull();
            assertThat(inbox(couple.sam())).extracting(Notification::getKind).doesNotContain(NotificationKind.JOURNAL_NO_LONGER_SHARED);
        } finally {
            stream.cancel(null);
        }
    }

    private static int mailsTo(String address) {
        return (int) List.of(smtp.getReceivedMessagesForDomain(address.substring(address.indexOf('@') + 1))).stream()
                .filter(m -> recipient(m).equals(address)).count();
    }

    /** The code of the latest challenge e-mailed to {@code address}. */
    private static Optional<String> emailCode(String address) {
        Optional<String> latest = Optional.empty();
        for (MimeMessage message : smtp.getReceivedMessagesForDomain(address.substring(address.indexOf('@') + 1))) {
            try {
                if (recipient(message).equals(address) && message.getSubject().contains("confirmation code")) {
                    latest = codeIn(message.getContent().toString());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return latest;
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void aWebhookIsSignedRetriedAndDeadLetteredWhenItNeverAnswers() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        String secret = "a-secret-of-thirty-two-characters";
        BlockingQueue<String> codes = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/flaky", challenged -> receive(challenged, codes, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "sha256=" + hmac(secret, exchange.getRequestHeaders().getFirst("X-Tandem-Timestamp") + "." + body);
            boolean signed = expected.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Signature"));
            // the first two attempts fail, as a receiver that is restarting would
            int status = calls.incrementAndGet() <= 2 ? 503 : signed ? 204 : 401;
            if (status == 204) {
                received.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }));
        receiver.createContext("/down", challenged -> receive(challenged, codes, exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        }));
        receiver.start();
        try {
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            Couple couple = couple();
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl(base + "/flaky").setWebhookSecret(secret));
            confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, codes.poll(20, TimeUnit.SECONDS));
            prefer(couple.alex(), NotificationPreferences.newBuilder().setWebhookUrl(base + "/down").setWebhookSecret(secret));
            confirm(couple.alex(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, codes.poll(20, TimeUnit.SECONDS));
            publish(couple.id(), shared(couple));
            publish(couple.id(), CoupleMilestoneReached.newBuilder().setCoupleId(couple.id()).setDays(1).addPartnerPersonIds(couple.alex()).build());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                clock.advance(Duration.ofSeconds(5)); // the backoff runs on the service's clock
                assertThat(received).hasSize(1);
            });
            assertThat(received.get(0)).doesNotContain("checked in").contains("\"urgent\":false");
            var outbox = notifications.context().getBean(app.tandem.notifications.channels.Outbox.class);
            String alexMilestone = inbox(couple.alex()).stream().filter(n -> n.getKind() == NotificationKind.COUPLE_MILESTONE_REACHED)
                    .findFirst().orElseThrow().getNotificationId();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                clock.advance(Duration.ofSeconds(5));
                assertThat(outbox.status(alexMilestone, app.tandem.notifications.channels.Outbox.Channel.WEBHOOK))
                        .isEqualTo(app.tandem.notifications.channels.Outbox.Status.DEAD);
            });
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void outsideTheDevstackAWebhookIntoThisMachineOrAPrivateNetworkIsRefusedAndNothingIsStored() {
        Map<String, Object> production = new HashMap<>(properties);
        production.put("tandem.notifications.allow-local-webhooks", false);
        production.put("tandem.kafka.instance-id", "notifications-without-local-webhooks");
        try (RunningService strict = RunningService.start(NotificationsApplication.NAME, NotificationsApplication.class, production, clock)) {
            String person = "person-" + UUID.randomUUID();
            var stub = NotificationServiceGrpc.newBlockingStub(strict.channel()).withCallCredentials(as(strict, person));
            for (String url : List.of("https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
                    "https://localhost/hook", "http://example.org/hook")) {
                assertThatThrownBy(() -> stub.setPreferences(NotificationPreferences.newBuilder().setWebhookUrl(url)
                        .setWebhookSecret("a-secret-of-thirty-two-characters").build()))
                        .as(url)
                        .satisfies(refused -> {
                            assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(FieldViolations.fieldsOf(refused)).containsExactly("webhook_url");
                        });
            }
            assertThat(stub.getPreferences(GetPreferencesRequest.getDefaultInstance()).getWebhookUrl()).as("nothing stored").isEmpty();
        }
    }

    @Test
    void twoInstancesSharingTheOutboxSendEachMessageOnce() throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        String secret = "a-secret-of-thirty-two-characters";
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        BlockingQueue<String> codes = new LinkedBlockingQueue<>();
        receiver.createContext("/slow", challenged -> receive(challenged, codes, exchange -> {
            deliveries.computeIfAbsent(exchange.getRequestHeaders().getFirst("X-Tandem-Delivery"), id -> new AtomicInteger()).incrementAndGet();
            sleep(Duration.ofMillis(20)); // a receiver slower than the send interval, so both instances see the same messages due
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }));
        receiver.start();
        Map<String, Object> secondReplica = new HashMap<>(properties);
        secondReplica.put("tandem.kafka.instance-id", "notifications-second-replica"); // its own static group membership
        try (RunningService second = RunningService.start(NotificationsApplication.NAME, NotificationsApplication.class, secondReplica, clock)) {
            Couple couple = couple();
            prefer(couple.sam(), NotificationPreferences.newBuilder()
                    .setWebhookUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + "/slow").setWebhookSecret(secret));
            confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, codes.poll(20, TimeUnit.SECONDS));
            // as many as a partner's prompts an hour push; more would only be listed
            for (int i = 0; i < 20; i++) {
                publish(couple.id(), shared(couple));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() == 20);
            sleep(Duration.ofSeconds(1)); // long enough for a second copy to be sent, had anything been sent twice
            assertThat(deliveries).hasSize(20);
            assertThat(deliveries.values()).allSatisfy(count -> assertThat(count.get()).isOne());
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * A webhook gets prompts only once confirmed with the code it was sent: wrong codes are counted and refused without
     * saying how close they were, a code works five tries and a day, a changed URL needs a new confirmation, and the
     * inbox gets everything meanwhile.
     */
    @Test
    void aContactIsUsedOnlyOnceConfirmedWithTheCodeSentThere() throws Exception {
        String secret = "a-secret-of-thirty-two-characters";
        BlockingQueue<String> codes = new LinkedBlockingQueue<>();
        List<String> updates = new CopyOnWriteArrayList<>();
        List<Boolean> challengesSigned = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String expected = "sha256=" + hmac(secret, exchange.getRequestHeaders().getFirst("X-Tandem-Timestamp") + "." + body);
            Optional<String> code = codeIn(body);
            if (code.isPresent()) {
                challengesSigned.add(expected.equals(exchange.getRequestHeaders().getFirst("X-Tandem-Signature")));
                codes.add(code.get());
            } else {
                updates.add(body);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Couple couple = couple();
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl(hook).setWebhookSecret(secret));
            String first = codes.poll(20, TimeUnit.SECONDS);
            assertThat(first).matches("[A-Z2-9]{4}-[A-Z2-9]{4}");
            assertThat(challengesSigned).containsExactly(true);
            assertThat(preferencesOf(couple.sam()).getWebhookState()).isEqualTo(ContactState.CONTACT_UNCONFIRMED);

            // unconfirmed: the inbox gets the prompt, the webhook nothing, and nothing is queued for it
            CheckInShared before = shared(couple);
            publish(couple.id(), before);
            await().atMost(Duration.ofSeconds(20)).until(() -> inbox(couple.sam()).stream().anyMatch(n -> n.getCheckInId().equals(before.getCheckInId())));
            String beforeId = inbox(couple.sam()).stream().filter(n -> n.getCheckInId().equals(before.getCheckInId())).findFirst().orElseThrow().getNotificationId();
            var outbox = notifications.context().getBean(app.tandem.notifications.channels.Outbox.class);
            assertThat(outbox.status(beforeId, app.tandem.notifications.channels.Outbox.Channel.WEBHOOK)).isNull();

            // saving other preferences sends no new code; a malformed code is no try; wrong ones are, five in all
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl(hook).setWebhookSecret(secret).setDailyCap(20));
            assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, "not a code"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly("code"));
            String wrong = first.equals("AAAA-AAAA") ? "BBBB-BBBB" : "AAAA-AAAA";
            String nearlyRight = first.substring(0, 8) + (first.charAt(8) == 'A' ? 'B' : 'A');
            for (String guess : List.of(wrong, nearlyRight, wrong, nearlyRight)) {
                assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, guess))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                            assertThat(FieldViolations.fieldsOf(e)).containsExactly("code");
                            assertThat(e.getStatus().getDescription()).doesNotContain(first);
                        });
            }
            assertThat(codes.poll(1, TimeUnit.SECONDS)).as("no second code while the first is open").isNull();
            confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, first.toLowerCase()); // the fifth try, and right
            assertThat(preferencesOf(couple.sam()).getWebhookState()).isEqualTo(ContactState.CONTACT_CONFIRMED);

            // confirmed: prompts arrive; other preferences saved again keep the confirmation
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl(hook).setWebhookSecret(secret));
            publish(couple.id(), shared(couple));
            await().atMost(Duration.ofSeconds(20)).until(() -> updates.size() == 1);
            assertThat(preferencesOf(couple.sam()).getWebhookState()).isEqualTo(ContactState.CONTACT_CONFIRMED);

            // a changed URL is unconfirmed again and gets a new code; five wrong tries use that one up
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl(hook + "?v=2").setWebhookSecret(secret));
            assertThat(preferencesOf(couple.sam()).getWebhookState()).isEqualTo(ContactState.CONTACT_UNCONFIRMED);
            String second = codes.poll(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, first))
                    .as("the old code confirms nothing").isInstanceOf(StatusRuntimeException.class);
            String wrongAgain = second.equals("AAAA-AAAA") ? "BBBB-BBBB" : "AAAA-AAAA";
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, wrongAgain)).isInstanceOf(StatusRuntimeException.class);
            }
            assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, second))
                    .as("the right code after five tries").isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION));
            publish(couple.id(), shared(couple));
            await().atMost(Duration.ofSeconds(20)).until(() -> inbox(couple.sam()).size() >= 3);
            sleep(Duration.ofSeconds(1));
            assertThat(updates).as("nothing to the unconfirmed URL").hasSize(1);

            // set again, it gets a new code, which expires after a day
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl(hook + "?v=2").setWebhookSecret(secret));
            String third = codes.poll(20, TimeUnit.SECONDS);
            assertThat(third).isNotNull();
            clock.advance(Duration.ofHours(25));
            assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, third))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION));
            assertThatThrownBy(() -> confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_EMAIL, third))
                    .as("no e-mail address to confirm").isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getDescription()).startsWith("channel"));
        } finally {
            receiver.stop(0);
        }
    }

    /** Codes are messages to whoever owns an address: a person gets a few sent a day, and a refused change stores nothing. */
    @Test
    void aFewCodesADayPerContact() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger challenges = new AtomicInteger();
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            challenges.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String robin = "robin-" + UUID.randomUUID();
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?";
            for (int i = 1; i <= app.tandem.notifications.preferences.ContactChallenges.PER_DAY; i++) {
                prefer(robin, NotificationPreferences.newBuilder().setWebhookUrl(hook + i).setWebhookSecret("a-secret-of-thirty-two-characters"));
            }
            assertThatThrownBy(() -> prefer(robin, NotificationPreferences.newBuilder().setWebhookUrl(hook + "another")
                    .setWebhookSecret("a-secret-of-thirty-two-characters").setDailyCap(3)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).startsWith("webhook_url");
                    });
            assertThat(preferencesOf(robin).getWebhookUrl()).endsWith("?" + app.tandem.notifications.preferences.ContactChallenges.PER_DAY);
            assertThat(preferencesOf(robin).getDailyCap()).isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> challenges.get() >= 1);
        } finally {
            receiver.stop(0);
        }
    }

    /** Codes are messages to whoever owns an address: a few a day go to one address, however many accounts ask. */
    @Test
    void aFewCodesADayToOneAddressWhoeverAsks() {
        String victim = "victim-" + UUID.randomUUID() + "@example.org";
        for (int i = 0; i < app.tandem.notifications.preferences.ContactChallenges.PER_ADDRESS; i++) {
            prefer("account-" + UUID.randomUUID(), NotificationPreferences.newBuilder().setEmail(victim));
        }
        String another = "account-" + UUID.randomUUID();
        for (String sameAddress : List.of(victim, victim.toUpperCase(java.util.Locale.ROOT))) {
            assertThatThrownBy(() -> prefer(another, NotificationPreferences.newBuilder().setEmail(sameAddress).setDailyCap(3)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).startsWith("email");
                    });
        }
        assertThat(preferencesOf(another).getEmail()).isEmpty();
        assertThat(preferencesOf(another).getDailyCap()).isZero();
    }

    /** Parallel changes get no more codes than serial ones: the count is taken in one step before anything is stored. */
    @Test
    void parallelChangesGetNoMoreCodesThanTheDaysFew() throws Exception {
        String quinn = "quinn-" + UUID.randomUUID();
        var pool = Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<Status.Code>> outcomes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String address = "quinn-" + i + "-" + UUID.randomUUID() + "@example.org";
                outcomes.add(pool.submit(() -> {
                    try {
                        prefer(quinn, NotificationPreferences.newBuilder().setEmail(address));
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            List<Status.Code> codes = new ArrayList<>();
            for (var outcome : outcomes) {
                codes.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(codes.stream().filter(Status.Code.OK::equals).count())
                    .isEqualTo(app.tandem.notifications.preferences.ContactChallenges.PER_DAY);
            assertThat(codes).allMatch(code -> code == Status.Code.OK || code == Status.Code.FAILED_PRECONDITION);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A code confirms the address it was sent to and no other, whatever order a change and a confirmation meet in;
     * and a save from a read made before a confirmation does not undo it.
     */
    @Test
    void aCodeConfirmsOnlyTheAddressItWasSentTo() {
        var challenges = notifications.context().getBean(app.tandem.notifications.preferences.ContactChallenges.class);
        var store = notifications.context().getBean(app.tandem.notifications.preferences.PreferenceStore.class);
        var email = app.tandem.notifications.preferences.Contact.EMAIL;
        String robin = "robin-" + UUID.randomUUID();
        String first = "robin-a-" + UUID.randomUUID() + "@example.org";
        String second = "robin-b-" + UUID.randomUUID() + "@example.org";
        prefer(robin, NotificationPreferences.newBuilder().setEmail(first));
        await().atMost(Duration.ofSeconds(20)).until(() -> emailCode(first).isPresent());

        // ConfirmContact checks the first address's code, SetPreferences stores the second, then the confirmation is stored
        var answer = challenges.answer(robin, email, emailCode(first).orElseThrow());
        assertThat(answer.outcome()).isEqualTo(app.tandem.notifications.preferences.ContactChallenges.Outcome.CONFIRMED);
        prefer(robin, NotificationPreferences.newBuilder().setEmail(second));
        store.confirm(robin, email, answer.addressKey());
        assertThat(preferencesOf(robin).getEmail()).isEqualTo(second);
        assertThat(preferencesOf(robin).getEmailState()).as("the second address never got its code entered")
                .isEqualTo(ContactState.CONTACT_UNCONFIRMED);

        // the second address's own code confirms it; a save from a read made before that keeps it confirmed
        await().atMost(Duration.ofSeconds(20)).until(() -> emailCode(second).isPresent());
        var stale = store.of(robin);
        assertThat(confirm(robin, ContactChannel.CONTACT_CHANNEL_EMAIL, emailCode(second).orElseThrow()).getEmailState())
                .isEqualTo(ContactState.CONTACT_CONFIRMED);
        store.save(robin, stale);
        assertThat(preferencesOf(robin).getEmailState()).isEqualTo(ContactState.CONTACT_CONFIRMED);

        // back to the first address: unconfirmed, though a code once confirmed it for a moment
        prefer(robin, NotificationPreferences.newBuilder().setEmail(first));
        assertThat(preferencesOf(robin).getEmailState()).isEqualTo(ContactState.CONTACT_UNCONFIRMED);
    }

    /** Claims ask for one channel by an index that has it, and pass over hosts this replica knows are busy. */
    @Test
    void claimsPassOverBusyHostsAndWalkTheirChannelsIndex() {
        var database = notifications.context().getBean(com.mongodb.client.MongoClient.class).getDatabase("outbox-" + UUID.randomUUID());
        var outbox = new app.tandem.notifications.channels.Outbox(database, clock, notifications.context().getBean(NotificationsProperties.class));
        var confirmedHook = new app.tandem.notifications.preferences.Preferences(java.time.ZoneOffset.UTC, null, null, Set.of(), 0, null,
                "https://Busy.example/hook", "a-secret-of-thirty-two-characters", 0, null, false, true);
        var otherHook = new app.tandem.notifications.preferences.Preferences(java.time.ZoneOffset.UTC, null, null, Set.of(), 0, null,
                "https://other.example/hook", "a-secret-of-thirty-two-characters", 0, null, false, true);
        outbox.enqueue("e1/p1", "p1", false, confirmedHook);
        outbox.enqueue("e2/p1", "p1", false, confirmedHook);
        clock.advance(Duration.ofMillis(10));
        outbox.enqueue("e3/p2", "p2", false, otherHook);
        var claimed = outbox.claimNext(app.tandem.notifications.channels.Outbox.Channel.WEBHOOK, List.of("busy.example")).orElseThrow();
        assertThat(claimed.notificationId()).isEqualTo("e3/p2");
        var busy = outbox.claimNext(app.tandem.notifications.channels.Outbox.Channel.WEBHOOK).orElseThrow();
        outbox.deferred(busy, clock.instant());
        assertThat(outbox.claimNext(app.tandem.notifications.channels.Outbox.Channel.WEBHOOK).orElseThrow().deferrals()).isZero();
        var again = outbox.claimNext(app.tandem.notifications.channels.Outbox.Channel.WEBHOOK).orElseThrow();
        assertThat(again.id()).isEqualTo(busy.id());
        assertThat(again.deferrals()).as("counted, so it waits longer next time").isOne();
        assertThat(again.attempts()).isZero();
        List<Document> keys = new ArrayList<>();
        database.getCollection("outbound_messages").listIndexes().forEach(index -> keys.add((Document) index.get("key")));
        assertThat(keys).anySatisfy(key -> assertThat(new ArrayList<>(key.keySet())).containsExactly("status", "channel", "nextAttemptAt"));
        assertThat(notifications.context().getEnvironment().getProperty("logging.level.org.apache.hc"))
                .as("the HTTP client's DEBUG logs carry headers and addresses").isEqualTo("INFO");
    }

    /** One person's receiver hangs: the other partner's webhook, on another host, and their e-mail still come at once. */
    @Test
    void aReceiverThatHangsDelaysNoOneElse() throws Exception {
        String secret = "a-secret-of-thirty-two-characters";
        BlockingQueue<String> codes = new LinkedBlockingQueue<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger hanging = new AtomicInteger();
        BlockingQueue<Instant> quickArrivals = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/hang", challenged -> receive(challenged, codes, exchange -> {
            hanging.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }));
        // another address of this machine: names for one address share its limit, so alex's receiver needs its own
        HttpServer quickReceiver = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        quickReceiver.createContext("/quick", challenged -> receive(challenged, codes, exchange -> {
            quickArrivals.add(Instant.now());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }));
        receiver.start();
        quickReceiver.start();
        try {
            int port = receiver.getAddress().getPort();
            Couple couple = couple();
            // sam's receiver at "localhost" hangs, alex's at 127.0.0.2 answers
            prefer(couple.sam(), NotificationPreferences.newBuilder().setWebhookUrl("http://localhost:" + port + "/hang").setWebhookSecret(secret));
            confirm(couple.sam(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, codes.poll(20, TimeUnit.SECONDS));
            prefer(couple.alex(), NotificationPreferences.newBuilder().setWebhookUrl("http://127.0.0.2:" + quickReceiver.getAddress().getPort() + "/quick")
                    .setWebhookSecret(secret).setEmail("alex-hang@example.org"));
            confirm(couple.alex(), ContactChannel.CONTACT_CHANNEL_WEBHOOK, codes.poll(20, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(20)).until(() -> emailCode("alex-hang@example.org").isPresent());
            confirm(couple.alex(), ContactChannel.CONTACT_CHANNEL_EMAIL, emailCode("alex-hang@example.org").orElseThrow());

            for (int i = 0; i < 6; i++) {
                publish(couple.id(), shared(couple)); // to sam, whose receiver hangs
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> hanging.get() >= 2);
            Instant published = Instant.now();
            publish(couple.id(), CoupleMilestoneReached.newBuilder().setCoupleId(couple.id()).setDays(3).addPartnerPersonIds(couple.alex()).build());
            Instant arrived = quickArrivals.poll(10, TimeUnit.SECONDS);
            assertThat(arrived).as("alex's webhook while sam's receiver hangs").isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> List.of(smtp.getReceivedMessagesForDomain("example.org")).stream()
                    .anyMatch(m -> recipient(m).equals("alex-hang@example.org") && !subject(m).contains("confirmation code")));
            System.out.printf("webhook to another host while one hangs, from the event's publication: %d ms%n",
                    Duration.between(published, arrived).toMillis());
            assertThat(Duration.between(published, arrived)).isLessThan(Duration.ofSeconds(5));
            assertThat(hanging.get()).as("sam's host holds no more sends than its limit").isEqualTo(2);
        } finally {
            release.countDown();
            receiver.stop(0);
            quickReceiver.stop(0);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void invalidPreferencesNameTheirField() {
        for (var invalid : Map.of(
                "time_zone", NotificationPreferences.newBuilder().setTimeZone("Mars/Olympus"),
                "quiet_hours_end", NotificationPreferences.newBuilder().setQuietHoursStart("22:00"),
                "daily_cap", NotificationPreferences.newBuilder().setDailyCap(500),
                "email", NotificationPreferences.newBuilder().setEmail("not an address"),
                "webhook_url", NotificationPreferences.newBuilder().setWebhookUrl("http://example.org/hook").setWebhookSecret("a-secret-of-thirty-two-characters"),
                "muted_kinds", NotificationPreferences.newBuilder().addMutedKinds(NotificationKind.SUPPORT_REQUESTED)).entrySet()) {
            assertThatThrownBy(() -> prefer("robin", invalid.getValue()))
                    .as(invalid.getKey())
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(FieldViolations.fieldsOf(e)).containsExactly(invalid.getKey()));
        }
    }

    @Test
    void aRestartInTheMiddleOfAStreamOfEventsLosesNothingAndDoublesNothing() {
        Couple couple = couple();
        List<String> checkIns = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            CheckInShared checkIn = shared(couple);
            checkIns.add(checkIn.getCheckInId());
            publish(couple.id(), checkIn);
            if (i == 40) {
                notifications.close();
            }
        }
        notifications = startService();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inbox(couple.sam()).stream()
                .filter(n -> n.getKind() == NotificationKind.PARTNER_CHECKED_IN).map(Notification::getCheckInId).toList())
                .containsExactlyInAnyOrderElementsOf(checkIns));
    }

    private static void sleepLongerThanTheDigestInterval() {
        sleep(Duration.ofSeconds(1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hmac(String secret, String payload) {
        return Hmac.sha256Hex(secret.getBytes(StandardCharsets.UTF_8), payload);
    }

    @Test
    void whatHappensInPlansReachesThePartnerOrBoth() {
        Couple couple = couple();
        String plans = "tandem.plans.v1";
        publish(plans, couple.id(), UUID.randomUUID().toString(), BoundaryProposed.newBuilder().setBoundaryId("b1").setCoupleId(couple.id())
                .setProposedByPersonId(couple.alex()).setPartnerPersonId(couple.sam()).build());
        publish(plans, couple.id(), UUID.randomUUID().toString(), BoundaryCrossed.newBuilder().setBoundaryId("b1").setCoupleId(couple.id())
                .setReportedByPersonId(couple.alex()).setPartnerPersonId(couple.sam()).build());
        publish(plans, couple.id(), UUID.randomUUID().toString(), BoundaryReviewDue.newBuilder().setBoundaryId("b1").setCoupleId(couple.id())
                .setVersion(1).addPartnerPersonIds(couple.alex()).addPartnerPersonIds(couple.sam()).build());
        publish(plans, couple.id(), UUID.randomUUID().toString(), SafetyPlanDraftChanged.newBuilder().setCoupleId(couple.id())
                .setEditedByPersonId(couple.sam()).setPartnerPersonId(couple.alex()).build());
        publish(plans, couple.id(), UUID.randomUUID().toString(), RelapseFirstWeekFollowUpDue.newBuilder().setLapseId("l1").setCoupleId(couple.id())
                .setLapsedPersonId(couple.alex()).setSupportingPersonId(couple.sam()).build());
        publish(plans, couple.id(), UUID.randomUUID().toString(), RelapsePlanReviewDue.newBuilder().setLapseId("l1").setCoupleId(couple.id())
                .setLapsedPersonId(couple.alex()).setSupportingPersonId(couple.sam()).build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(kinds(couple.sam())).containsExactlyInAnyOrder(NotificationKind.PARTNER_PROPOSED_BOUNDARY,
                    NotificationKind.BOUNDARY_CROSSED, NotificationKind.BOUNDARY_REVIEW_DUE, NotificationKind.RELAPSE_FOLLOW_UP,
                    NotificationKind.PLAN_REVIEW_DUE);
            assertThat(kinds(couple.alex())).containsExactlyInAnyOrder(NotificationKind.PARTNER_JOINED, NotificationKind.SAFETY_PLAN_CHANGED,
                    NotificationKind.BOUNDARY_REVIEW_DUE, NotificationKind.RELAPSE_FOLLOW_UP, NotificationKind.PLAN_REVIEW_DUE);
        });
    }

    @Test
    void whatHappensInCareReachesOnlyThePatientOnceEvenWhenDeliveredTwice() {
        Couple couple = couple();
        String care = "tandem.care.v1";
        // care events belong to no couple: the envelope's couple id, and so the record's key, is empty
        String expiring = UUID.randomUUID().toString();
        String firstRead = UUID.randomUUID().toString();
        ConsentExpiring consent = ConsentExpiring.newBuilder().setConsentId("c1").setPatientPersonId(couple.alex())
                .setExpiresAt(Timestamp.newBuilder().setSeconds(clock.instant().plus(Duration.ofDays(3)).getEpochSecond())).build();
        CounselorFirstRead read = CounselorFirstRead.newBuilder().setConsentId("c1").setPatientPersonId(couple.alex())
                .setReadAt(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond())).build();
        for (int delivery = 0; delivery < 2; delivery++) {
            publish(care, "", expiring, consent);
            publish(care, "", firstRead, read);
        }
        // the same key, so the same partition: once this one is in, both deliveries of the others were handled
        String marker = "robin-" + UUID.randomUUID();
        publish(care, "", UUID.randomUUID().toString(), consent.toBuilder().setPatientPersonId(marker).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(marker).contains(NotificationKind.CONSENT_EXPIRING));

        assertThat(inbox(couple.alex())).filteredOn(n -> n.getKind() != NotificationKind.PARTNER_JOINED)
                .extracting(Notification::getKind, Notification::getTitle, Notification::getBody, Notification::getCoupleId)
                .containsExactlyInAnyOrder(
                        tuple(NotificationKind.CONSENT_EXPIRING, "A consent ends soon",
                                "Something you agreed to share ends in a few days. Open Tandem to renew it or let it end.", ""),
                        tuple(NotificationKind.COUNSELOR_FIRST_READ, "An update about your sharing",
                                "Someone you agreed to share with has now received what you share. "
                                        + "You can see every disclosure in Tandem.", ""));
        assertThat(kinds(couple.sam())).as("never the partner").isEmpty();
    }

    /** A couple in the real journal, known to this service from what the journal published. */
    private static Couple journalCouple() {
        Couple couple = new Couple(null, "alex-" + UUID.randomUUID(), "sam-" + UUID.randomUUID());
        var created = CoupleServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, couple.alex()))
                .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build());
        CoupleServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, couple.sam()))
                .joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).setInviteCode(created.getInviteCode()).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> kinds(couple.alex()).contains(NotificationKind.PARTNER_JOINED));
        return new Couple(created.getCoupleId(), couple.alex(), couple.sam());
    }

    private static String checkIn(Couple couple, String author, int craving, Visibility visibility) {
        return JournalServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, author))
                .recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).setCoupleId(couple.id())
                        .setMood(3).setCravingIntensity(craving).setVisibility(visibility).build()).getCheckInId();
    }

    @Test
    void aCravingAtTheAuthorsAlertLevelAsksThePartnerForSupportInstead() {
        // real check-ins: their events carry no craving, the journal tells it while the check-in stays shared
        Couple couple = journalCouple();
        prefer(couple.alex(), NotificationPreferences.newBuilder().setCravingAlertThreshold(7));
        String calm = checkIn(couple, couple.alex(), 3, Visibility.SHARED_WITH_PARTNER);
        String hard = checkIn(couple, couple.alex(), 8, Visibility.SHARED_WITH_PARTNER_AND_COUNSELOR);
        // one the journal does not give (unknown, retracted, no longer shared): a plain prompt
        CheckInShared unknown = shared(couple);
        publish(couple.id(), unknown);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(inbox(couple.sam())).hasSize(3));
        assertThat(inbox(couple.sam())).filteredOn(n -> n.getCheckInId().equals(hard)).singleElement()
                .satisfies(n -> assertThat(n.getKind()).isEqualTo(NotificationKind.PARTNER_CRAVING_HIGH));
        assertThat(inbox(couple.sam())).filteredOn(n -> n.getCheckInId().equals(calm)).singleElement()
                .satisfies(n -> assertThat(n.getKind()).isEqualTo(NotificationKind.PARTNER_CHECKED_IN));
        assertThat(inbox(couple.sam())).filteredOn(n -> n.getCheckInId().equals(unknown.getCheckInId())).singleElement()
                .satisfies(n -> assertThat(n.getKind()).isEqualTo(NotificationKind.PARTNER_CHECKED_IN));
    }

    @Test
    void aMilestoneIsCelebratedWithTheDaysTheJournalTells() {
        Couple couple = journalCouple();
        var alex = JournalServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, couple.alex()));
        alex.setGoal(SetGoalRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).setKind(GoalKind.ABSTINENCE)
                .setShareProgressWithPartner(true).build());
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        checkIn(couple, couple.alex(), 2, Visibility.PRIVATE); // a day without use: the milestone comes with it
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(inbox(couple.alex())).filteredOn(n -> n.getKind() == NotificationKind.MILESTONE_REACHED).singleElement()
                    .satisfies(n -> assertThat(n.getTitle()).isEqualTo("1 day without use"));
            assertThat(inbox(couple.sam())).filteredOn(n -> n.getKind() == NotificationKind.PARTNER_MILESTONE_REACHED).singleElement()
                    .satisfies(n -> assertThat(n.getBody()).isEqualTo("1 day without use."));
        });
    }

    @Test
    void theDailyReminderComesAtItsLocalTimeUnlessTheyAlreadyCheckedIn() {
        String robin = "robin-" + UUID.randomUUID();
        var couples = CoupleServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, robin));
        var entries = JournalServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, robin));
        String coupleId = couples.createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build())
                .getCoupleId();
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        // today at 19:00 in Tokyo, a reminder at 20:00
        clock.advanceTo(clock.instant().atZone(tokyo).plusDays(1).withHour(19).withMinute(0).toInstant());
        prefer(robin, NotificationPreferences.newBuilder().setTimeZone("Asia/Tokyo").setDailyReminderTime("20:00"));
        entries.recordCheckIn(RecordCheckInRequest.newBuilder()
                .setIdempotencyKey(UUID.randomUUID().toString()).setCoupleId(coupleId).setMood(4).setCravingIntensity(1).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> timelineHasEntry(robin, coupleId));

        clock.advance(Duration.ofHours(1).plusMinutes(1));
        sleepLongerThanTheDigestInterval();
        assertThat(kinds(robin)).as("checked in today: no reminder").doesNotContain(NotificationKind.DAILY_REMINDER);

        // the next day nobody checked in
        clock.advance(Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kinds(robin)).containsExactly(NotificationKind.DAILY_REMINDER));
        sleepLongerThanTheDigestInterval();
        assertThat(kinds(robin)).as("once a day").containsExactly(NotificationKind.DAILY_REMINDER);

        // a restart loses no reminder: the next one is stored
        notifications.close();
        notifications = startService();
        clock.advance(Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kinds(robin)).containsExactly(NotificationKind.DAILY_REMINDER, NotificationKind.DAILY_REMINDER));
    }

    private static boolean timelineHasEntry(String person, String coupleId) {
        return JournalServiceGrpc.newBlockingStub(journal.channel()).withCallCredentials(as(journal, person))
                .listTimeline(ListTimelineRequest.newBuilder().setCoupleId(coupleId).build()).getEntriesCount() == 1;
    }
}
