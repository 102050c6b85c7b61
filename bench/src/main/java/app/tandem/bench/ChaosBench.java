package app.tandem.bench;

import app.tandem.api.v1.ConfirmContactRequest;
import app.tandem.api.v1.ContactChannel;
import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.DiscloseLapseRequest;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.ListNotificationsRequest;
import app.tandem.api.v1.ListNotificationsResponse;
import app.tandem.api.v1.ListRelapseResponseTasksRequest;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.NotificationKind;
import app.tandem.api.v1.NotificationPreferences;
import app.tandem.api.v1.NotificationServiceGrpc;
import app.tandem.api.v1.PlansServiceGrpc;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.RelapseResponseTask;
import app.tandem.api.v1.Visibility;
import app.tandem.devstack.DevstackSettings;
import app.tandem.devstack.LocalTandem;
import app.tandem.journal.JournalApplication;
import app.tandem.notifications.NotificationsApplication;
import app.tandem.plans.PlansApplication;
import app.tandem.devservers.TemporaryFolders;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.testkit.DevTokenIssuer;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.sun.net.httpserver.HttpServer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.mongodb.client.model.Filters.in;

/**
 * Shared check-ins flow through the gateway at a steady rate while journal-service, plans-service and
 * notifications-service are each killed with SIGKILL once, and the Kafka broker and the Mongo-wire server are
 * each stopped and started again once, at random moments. Clients retry with the same idempotency key, as a phone
 * would. At the end every prompt must be in its partner's inbox exactly once, every webhook delivered, every
 * relapse response and its follow-ups there once. Services run in JVMs of their own, as in the devstack.
 */
public final class ChaosBench {

    private static final Set<Status.Code> RETRIED = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED);
    private static final Duration LATE_REPEATS = Duration.ofSeconds(70);
    private static final Duration PROBE_PATIENCE = Duration.ofMinutes(5);
    private static final String WEBHOOK_SECRET = "chaos-bench-webhook-secret-0123456789";

    private record Couple(String id, String alex, String sam, CallCredentials alexToken, CallCredentials samToken) {
    }

    private record Fault(String name, double atSeconds, double downSeconds, double servingAfterSeconds, double flowingAfterSeconds) {
    }

    private final Map<String, String> checkInCouple = new ConcurrentHashMap<>();
    private final Map<String, List<String>> lapses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> webhookDeliveries = new ConcurrentHashMap<>();
    private static final Pattern CONFIRMATION_CODE = Pattern.compile("\"code\":\"([A-Z0-9-]+)\"");
    /** Confirmation codes the receiver got, by the hook's query (the couple's number). */
    private final Map<String, BlockingQueue<String>> confirmationCodes = new ConcurrentHashMap<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger faultsFailed = new AtomicInteger();
    private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    private ManagedChannel channel;

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        new ChaosBench().run(options.integer("check-ins", 10_000), options.integer("rate", 20), options.integer("couples", 20),
                options.integer("lapse-every", 200), options.integer("outage-seconds", 10), options.integer("seed", (int) System.nanoTime()));
        System.exit(0);
    }

    private void run(int checkIns, int rate, int coupleCount, int lapseEvery, int outageSeconds, int seed) throws Exception {
        Path data = Files.createTempDirectory("tandem-chaos");
        HttpServer receiver = webhookReceiver();
        say("Chaos: %d shared check-ins at %d/s over %d couples, a lapse every %d, outages of %d s, seed %d, on %d cores",
                checkIns, rate, coupleCount, lapseEvery, outageSeconds, seed, Runtime.getRuntime().availableProcessors());
        DevstackSettings settings = DevstackSettings.parse(new String[]{"--data=" + data, "--gateway-port=" + freePort(),
                "--journal-port=" + freePort(), "--plans-port=" + freePort(), "--notifications-port=" + freePort(), "--care-port=" + freePort(),
                "--kafka-port=" + freePort(), "--mongo-port=" + freePort(), "--web-port=" + freePort(), "--service-heap=384m", "--scripted-load=true",
                "--gateway-management-port=0", "--journal-management-port=0", "--plans-management-port=0",
                "--notifications-management-port=0", "--care-management-port=0"});
        long started = System.nanoTime();
        try (LocalTandem tandem = LocalTandem.start(settings)) {
            say("stack up in %.1f s", seconds(System.nanoTime() - started));
            channel = ManagedChannelBuilder.forTarget(settings.gatewayTarget()).usePlaintext().build();
            DevTokenIssuer issuer = DevTokenIssuer.inFolder(data);
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            List<Couple> couples = new ArrayList<>();
            for (int i = 0; i < coupleCount; i++) {
                couples.add(couple(issuer, i, hook));
            }
            Couple probe = couple(issuer, coupleCount, hook);

            double driveSeconds = (double) checkIns / rate;
            Thread chaos = new Thread(() -> injectFaults(tandem, probe, driveSeconds, outageSeconds, new Random(seed)), "chaos");
            long driveStart = System.nanoTime();
            chaos.start();
            drive(couples, checkIns, rate, lapseEvery);
            chaos.join();
            say("all %d check-ins answered after %.0f s; %d calls retried", checkInCouple.size(), seconds(System.nanoTime() - driveStart), retries.get());

            Result result = settle(couples, probe, tandem, Duration.ofMinutes(5));
            report(checkIns, rate, coupleCount, lapseEvery, outageSeconds, seed, result);
            channel.shutdownNow();
        } finally {
            receiver.stop(0);
            TemporaryFolders.delete(data);
        }
    }

    private HttpServer webhookReceiver() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher code = CONFIRMATION_CODE.matcher(body);
            if (code.find()) {
                // a webhook's confirmation, not a prompt: its code goes to whoever set this hook
                confirmationCodes.computeIfAbsent(exchange.getRequestURI().getQuery(), hook -> new LinkedBlockingQueue<>()).add(code.group(1));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            webhookDeliveries.computeIfAbsent(exchange.getRequestHeaders().getFirst("X-Tandem-Delivery"), id -> new AtomicInteger())
                    .incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.start();
        return receiver;
    }

    private Couple couple(DevTokenIssuer issuer, int index, String hook) {
        String alex = "alex-" + index + "-" + UUID.randomUUID();
        String sam = "sam-" + index + "-" + UUID.randomUUID();
        CallCredentials alexToken = BearerToken.of(issuer.issue(alex, Duration.ofHours(6)));
        CallCredentials samToken = BearerToken.of(issuer.issue(sam, Duration.ofHours(6)));
        String createKey = UUID.randomUUID().toString();
        CreateCoupleResponse created = retrying(() -> CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(alexToken)
                .withDeadlineAfter(10, TimeUnit.SECONDS).createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(createKey).build()));
        String joinKey = UUID.randomUUID().toString();
        retrying(() -> CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(samToken).withDeadlineAfter(10, TimeUnit.SECONDS)
                .joinCouple(JoinCoupleRequest.newBuilder().setIdempotencyKey(joinKey).setInviteCode(created.getInviteCode()).build()));
        String samsHook = hook + "?" + index;
        retrying(() -> NotificationServiceGrpc.newBlockingStub(channel).withCallCredentials(samToken).withDeadlineAfter(10, TimeUnit.SECONDS)
                .setPreferences(NotificationPreferences.newBuilder().setWebhookUrl(samsHook).setWebhookSecret(WEBHOOK_SECRET).build()));
        String code;
        try {
            code = confirmationCodes.computeIfAbsent(Integer.toString(index), i -> new LinkedBlockingQueue<>()).poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (code == null) {
            throw new IllegalStateException("no confirmation code reached the webhook of couple " + index);
        }
        retrying(() -> NotificationServiceGrpc.newBlockingStub(channel).withCallCredentials(samToken).withDeadlineAfter(10, TimeUnit.SECONDS)
                .confirmContact(ConfirmContactRequest.newBuilder().setChannel(ContactChannel.CONTACT_CHANNEL_WEBHOOK).setCode(code).build()));
        return new Couple(created.getCoupleId(), alex, sam, alexToken, samToken);
    }

    /** Calls until answered, with the same request (and so the same idempotency key) each time, as a phone would. */
    private <T> T retrying(Supplier<T> call) {
        long wait = 100;
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (!RETRIED.contains(e.getStatus().getCode())) {
                    refused.incrementAndGet();
                    throw e;
                }
                retries.incrementAndGet();
                sleep(wait);
                wait = Math.min(2_000, wait * 2);
            }
        }
    }

    /** Check-ins at {@code rate}, round-robin over the couples; each is retried until answered. */
    private void drive(List<Couple> couples, int total, int rate, int lapseEvery) throws InterruptedException {
        ExecutorService calls = Executors.newFixedThreadPool(64);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Couple couple = couples.get(i % couples.size());
            boolean lapse = (i + 1) % lapseEvery == 0;
            calls.execute(() -> {
                checkIn(couple);
                if (lapse) {
                    String key = UUID.randomUUID().toString();
                    String lapseId = retrying(() -> JournalServiceGrpc.newBlockingStub(channel).withCallCredentials(couple.alexToken())
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .discloseLapse(DiscloseLapseRequest.newBuilder().setIdempotencyKey(key).setCoupleId(couple.id()).build()))
                            .getLapseId();
                    lapses.computeIfAbsent(couple.id(), c -> Collections.synchronizedList(new ArrayList<>())).add(lapseId);
                }
            });
        }
        calls.shutdown();
        if (!calls.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("check-ins still unanswered after 30 minutes");
        }
    }

    private String checkIn(Couple couple) {
        String key = UUID.randomUUID().toString();
        String id = retrying(() -> JournalServiceGrpc.newBlockingStub(channel).withCallCredentials(couple.alexToken())
                .withDeadlineAfter(10, TimeUnit.SECONDS).recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(key)
                        .setCoupleId(couple.id()).setMood(3).setCravingIntensity(4).setVisibility(Visibility.SHARED_WITH_PARTNER).build()))
                .getCheckInId();
        checkInCouple.put(id, couple.id());
        return id;
    }

    /** Each fault once, in random order at random moments between 10% and 85% of the run, one at a time. */
    private void injectFaults(LocalTandem tandem, Couple probe, double driveSeconds, int outageSeconds, Random random) {
        List<String> kinds = new ArrayList<>(List.of("SIGKILL " + JournalApplication.NAME, "SIGKILL " + PlansApplication.NAME,
                "SIGKILL " + NotificationsApplication.NAME, "restart Kafka broker", "restart Mongo-wire server"));
        Collections.shuffle(kinds, random);
        double window = driveSeconds * 0.75 / kinds.size();
        long start = System.nanoTime();
        for (int k = 0; k < kinds.size(); k++) {
            double at = driveSeconds * 0.10 + k * window + random.nextDouble() * window * 0.5;
            long wait = start + (long) (at * 1e9) - System.nanoTime();
            if (wait > 0) {
                sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            }
            try {
                faults.add(inject(tandem, kinds.get(k), probe, seconds(System.nanoTime() - start), outageSeconds));
                Fault fault = faults.get(faults.size() - 1);
                say("%-40s at %5.1f s: down %.1f s, serving after %.1f s, prompts flowing after %.1f s", fault.name(), fault.atSeconds(),
                        fault.downSeconds(), fault.servingAfterSeconds(), fault.flowingAfterSeconds());
            } catch (Exception e) {
                say("%s failed: %s", kinds.get(k), e);
                faultsFailed.incrementAndGet();
            }
        }
    }

    private Fault inject(LocalTandem tandem, String kind, Couple probe, double at, int outageSeconds) throws Exception {
        long t0 = System.nanoTime();
        long down;
        if (kind.startsWith("SIGKILL ")) {
            String service = kind.substring("SIGKILL ".length());
            tandem.kill(service);
            down = System.nanoTime();
            tandem.launch(service);
            tandem.awaitServing(service, Duration.ofMinutes(3));
        } else {
            if (kind.contains("Kafka")) {
                tandem.stopKafka();
            } else {
                tandem.stopMongo();
            }
            sleep(TimeUnit.SECONDS.toMillis(outageSeconds));
            down = System.nanoTime();
            if (kind.contains("Kafka")) {
                tandem.startKafka();
            } else {
                tandem.startMongo();
            }
        }
        double serving = seconds(System.nanoTime() - t0);
        // a check-in of the probe couple, answered after the fault, reaches its partner's inbox
        String checkIn = checkIn(probe);
        long patience = System.nanoTime() + PROBE_PATIENCE.toNanos();
        while (inbox(probe).stream().noneMatch(n -> n.getCheckInId().equals(checkIn))) {
            if (System.nanoTime() > patience) {
                throw new IllegalStateException("no prompt " + PROBE_PATIENCE.toMinutes() + " min after " + kind);
            }
            sleep(100);
        }
        return new Fault(kind, at, seconds(down - t0), serving, seconds(System.nanoTime() - t0));
    }

    private List<Notification> inbox(Couple couple) {
        List<Notification> all = new ArrayList<>();
        String before = "";
        do {
            String cursor = before;
            ListNotificationsResponse page = retrying(() -> NotificationServiceGrpc.newBlockingStub(channel).withCallCredentials(couple.samToken())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listNotifications(ListNotificationsRequest.newBuilder().setPageSize(100).setBeforeCursor(cursor).build()));
            all.addAll(page.getNotificationsList());
            before = page.getNextBeforeCursor();
        } while (!before.isEmpty());
        return all;
    }

    private record Result(int prompts, int promptsFound, int promptsLost, int promptsDoubled, int promptsUnknown, int lapsePrompts, int lapsePromptsFound,
                          int lapsePromptsDoubled, int webhooksExpected, int webhooksMissing, int webhooksRepeated,
                          int responses, int responsesFound, int tasksDoubled, int followUps, int followUpsFound, double settleSeconds) {
        boolean clean() {
            return promptsLost == 0 && promptsDoubled == 0 && promptsUnknown == 0 && lapsePromptsFound == lapsePrompts && lapsePromptsDoubled == 0
                    && webhooksMissing == 0 && responsesFound == responses && tasksDoubled == 0 && followUpsFound == followUps;
        }
    }

    /**
     * Waits until everything expected has arrived, or {@code patience} ran out; then waits longer than the longest
     * claim (an outbox message's, 1 min) so that anything sent again after it ran out is counted too.
     */
    private Result settle(List<Couple> couples, Couple probe, LocalTandem tandem, Duration patience) {
        List<Couple> all = new ArrayList<>(couples);
        all.add(probe);
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        Result result;
        do {
            result = count(all, tandem, seconds(System.nanoTime() - start));
            if (result.clean()) {
                break;
            }
            say("after %.0f s still waiting for: %d prompts, %d lapse prompts, %d webhooks, %d relapse responses, %d follow-ups",
                    result.settleSeconds(), result.promptsLost(), result.lapsePrompts() - result.lapsePromptsFound(), result.webhooksMissing(),
                    result.responses() - result.responsesFound(), result.followUps() - result.followUpsFound());
            sleep(5_000);
        } while (System.nanoTime() < deadline);
        double arrived = result.settleSeconds();
        say("waiting %d s more for anything sent twice", LATE_REPEATS.toSeconds());
        sleep(LATE_REPEATS.toMillis());
        Result again = count(all, tandem, arrived);
        return again;
    }

    private Result count(List<Couple> couples, LocalTandem tandem, double settleSeconds) {
        int promptsFound = 0;
        int promptsDoubled = 0;
        int lapsePrompts = 0;
        int lapsePromptsFound = 0;
        int lapsePromptsDoubled = 0;
        int responsesFound = 0;
        int tasksDoubled = 0;
        Set<String> deliveries = new java.util.HashSet<>();
        Map<String, Integer> perCheckIn = new HashMap<>();
        for (Couple couple : couples) {
            List<Notification> inbox = inbox(couple);
            for (Notification notification : inbox) {
                if (!notification.getFolded()) {
                    deliveries.add(notification.getNotificationId() + "/WEBHOOK");
                }
                if (notification.getKind() == NotificationKind.PARTNER_CHECKED_IN) {
                    perCheckIn.merge(notification.getCheckInId(), 1, Integer::sum);
                }
            }
            List<String> lapsed = lapses.getOrDefault(couple.id(), List.of());
            lapsePrompts += lapsed.size();
            Set<String> lapseNotices = inbox.stream().filter(n -> n.getKind() == NotificationKind.PARTNER_LAPSED)
                    .map(Notification::getNotificationId).collect(Collectors.toSet());
            long lapseNoticeCount = inbox.stream().filter(n -> n.getKind() == NotificationKind.PARTNER_LAPSED).count();
            // a lapse prompt's id is the lapse event's and the partner's: one more than lapses disclosed is one too many
            lapsePromptsFound += Math.min(lapseNotices.size(), lapsed.size());
            lapsePromptsDoubled += (int) (lapseNoticeCount - Math.min(lapseNotices.size(), lapsed.size()));
            if (!lapsed.isEmpty()) {
                List<RelapseResponseTask> tasks = retrying(() -> PlansServiceGrpc.newBlockingStub(channel).withCallCredentials(couple.alexToken())
                        .withDeadlineAfter(10, TimeUnit.SECONDS).listRelapseResponseTasks(ListRelapseResponseTasksRequest.newBuilder()
                                .setCoupleId(couple.id()).setIncludeDone(true).build())).getTasksList();
                Set<String> responded = tasks.stream().map(RelapseResponseTask::getLapseId).collect(Collectors.toSet());
                responsesFound += (int) lapsed.stream().filter(responded::contains).count();
                tasksDoubled += tasks.size() - (int) tasks.stream().map(t -> t.getLapseId() + "/" + t.getTaskId()).distinct().count();
            }
        }
        for (Map.Entry<String, String> checkIn : checkInCouple.entrySet()) {
            Integer seen = perCheckIn.get(checkIn.getKey());
            if (seen != null) {
                promptsFound++;
                promptsDoubled += seen - 1;
            }
        }
        // a check-in stored twice for one idempotency key would have an id no client was given
        int promptsUnknown = (int) perCheckIn.keySet().stream().filter(id -> !checkInCouple.containsKey(id)).count();
        List<String> allLapses = lapses.values().stream().flatMap(List::stream).toList();
        int followUpsFound;
        try (MongoClient mongo = MongoClients.create(tandem.mongoUri())) {
            followUpsFound = (int) mongo.getDatabase(PlansApplication.NAME).getCollection("relapse_follow_ups")
                    .countDocuments(in("lapseId", allLapses));
        }
        int webhooksMissing = (int) deliveries.stream().filter(id -> !webhookDeliveries.containsKey(id)).count();
        int webhooksRepeated = webhookDeliveries.values().stream().mapToInt(count -> count.get() - 1).sum();
        return new Result(checkInCouple.size(), promptsFound, checkInCouple.size() - promptsFound, promptsDoubled, promptsUnknown, lapsePrompts,
                lapsePromptsFound, lapsePromptsDoubled, deliveries.size(), webhooksMissing, webhooksRepeated, allLapses.size(),
                responsesFound, tasksDoubled, 2 * allLapses.size(), followUpsFound, settleSeconds);
    }

    private void report(int checkIns, int rate, int couples, int lapseEvery, int outageSeconds, int seed, Result r) throws Exception {
        boolean clean = r.clean() && faultsFailed.get() == 0 && faults.size() == 5;
        say("faults injected and recovered from: %d of 5", faults.size());
        say("prompts: %d expected, %d found, %d lost, %d doubled, %d of check-ins no client was answered with", r.prompts(),
                r.promptsFound(), r.promptsLost(), r.promptsDoubled(), r.promptsUnknown());
        say("lapse prompts: %d expected, %d found, %d doubled", r.lapsePrompts(), r.lapsePromptsFound(), r.lapsePromptsDoubled());
        say("webhooks: %d pushed notifications, %d never delivered, %d repeated deliveries (same delivery id)", r.webhooksExpected(),
                r.webhooksMissing(), r.webhooksRepeated());
        say("relapse responses: %d expected, %d found, %d tasks doubled; follow-ups %d expected, %d found", r.responses(),
                r.responsesFound(), r.tasksDoubled(), r.followUps(), r.followUpsFound());
        say("everything arrived %.0f s after the last check-in was answered; %s", r.settleSeconds(), clean ? "CLEAN" : "NOT CLEAN");
        StringBuilder report = new StringBuilder("# Chaos run, " + checkIns + " check-ins\n\n")
                .append("Run ").append(LocalDateTime.now().withNano(0)).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores: ").append(checkIns).append(" shared check-ins through the gateway at ").append(rate).append("/s over ")
                .append(couples).append(" couples, a lapse disclosed every ").append(lapseEvery).append(" check-ins, seed ").append(seed)
                .append(". Services in JVMs of their own; the broker and the Mongo-wire server (disk) in the benchmark's JVM. ")
                .append("Clients retry with the same idempotency key until answered. Result: **")
                .append(clean ? "zero lost, zero doubled" : "NOT CLEAN").append("**")
                .append(" (prompts, relapse responses and follow-ups exactly once; webhooks at least once, counted again ")
                .append(LATE_REPEATS.toSeconds()).append(" s after everything had arrived).\n\n")
                .append("| fault | at | down | serving again after | prompts flowing after |\n|---|---|---|---|---|\n");
        for (Fault fault : faults) {
            report.append(String.format("| %s | %.1f s | %.1f s | %.1f s | %.1f s |%n", fault.name(), fault.atSeconds(), fault.downSeconds(),
                    fault.servingAfterSeconds(), fault.flowingAfterSeconds()));
        }
        report.append("\n| measure | expected | found | lost | doubled |\n|---|---|---|---|---|\n")
                .append(String.format("| partner prompts of check-ins | %d | %d | %d | %d (and %d of unknown check-ins) |%n", r.prompts(),
                        r.promptsFound(), r.promptsLost(), r.promptsDoubled(), r.promptsUnknown()))
                .append(String.format("| partner prompts of lapses | %d | %d | %d | %d |%n", r.lapsePrompts(), r.lapsePromptsFound(),
                        r.lapsePrompts() - r.lapsePromptsFound(), r.lapsePromptsDoubled()))
                .append(String.format("| webhooks (by delivery id) | %d | %d | %d | %d repeated sends |%n", r.webhooksExpected(),
                        r.webhooksExpected() - r.webhooksMissing(), r.webhooksMissing(), r.webhooksRepeated()))
                .append(String.format("| relapse responses | %d | %d | %d | %d tasks |%n", r.responses(), r.responsesFound(),
                        r.responses() - r.responsesFound(), r.tasksDoubled()))
                .append(String.format("| relapse follow-ups | %d | %d | %d | 0 |%n", r.followUps(), r.followUpsFound(), r.followUps() - r.followUpsFound()))
                .append(String.format("%nClient calls retried: %d; refused: %d. Everything had arrived %.0f s after the last check-in was answered.%n",
                        retries.get(), refused.get(), r.settleSeconds()));
        Path file = Path.of("bench", "reports", "chaos-" + checkIns + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString());
        say("report written to %s", file);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
