package app.tandem.devstack;

import app.tandem.api.v1.CoupleServiceGrpc;
import app.tandem.api.v1.CreateCoupleRequest;
import app.tandem.api.v1.CreateCoupleResponse;
import app.tandem.api.v1.JoinCoupleRequest;
import app.tandem.api.v1.JournalServiceGrpc;
import app.tandem.api.v1.Notification;
import app.tandem.api.v1.RecordCheckInRequest;
import app.tandem.api.v1.Visibility;
import app.tandem.platform.grpc.BearerToken;
import app.tandem.testkit.DevTokenIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The walking skeleton, told as a story against a running devstack. */
final class Demo {

    private Demo() {
    }

    static void run(DevstackSettings settings) throws InterruptedException {
        DevTokenIssuer issuer = DevTokenIssuer.inFolder(settings.dataDir());
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String alex = "alex-" + suffix;
        String sam = "sam-" + suffix;
        ManagedChannel channel = ManagedChannelBuilder.forTarget(settings.gatewayTarget()).usePlaintext().build();
        try {
            CallCredentials alexToken = BearerToken.of(issuer.issue(alex, Duration.ofHours(1)));
            CallCredentials samToken = BearerToken.of(issuer.issue(sam, Duration.ofHours(1)));

            CreateCoupleResponse couple = CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(alexToken)
                    .createCouple(CreateCoupleRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build());
            System.out.println(alex + " started a couple " + couple.getCoupleId() + " with invite code " + couple.getInviteCode());
            CoupleServiceGrpc.newBlockingStub(channel).withCallCredentials(samToken).joinCouple(JoinCoupleRequest.newBuilder()
                    .setIdempotencyKey(UUID.randomUUID().toString()).setInviteCode(couple.getInviteCode()).build());
            System.out.println(sam + " joined with the code");

            NotificationWatch samsStream = NotificationWatch.open(channel, samToken, "");

            JournalServiceGrpc.JournalServiceBlockingStub journal = JournalServiceGrpc.newBlockingStub(channel).withCallCredentials(alexToken);
            journal.recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString())
                    .setCoupleId(couple.getCoupleId()).setMood(2).setCravingIntensity(6).setNote("just for me")
                    .setVisibility(Visibility.PRIVATE).build());
            System.out.println(alex + " recorded a private check-in");
            journal.recordCheckIn(RecordCheckInRequest.newBuilder().setIdempotencyKey(UUID.randomUUID().toString())
                    .setCoupleId(couple.getCoupleId()).setMood(4).setCravingIntensity(3).setNote("better after our walk")
                    .setVisibility(Visibility.SHARED_WITH_PARTNER).build());
            System.out.println(alex + " recorded a check-in shared with " + sam);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Notification received;
            while ((received = samsStream.next(Duration.ofNanos(deadline - System.nanoTime()))) != null) {
                System.out.println(sam + "'s stream: [" + received.getKind() + "] " + received.getTitle() + " - " + received.getBody());
                if (received.getKind() == app.tandem.api.v1.NotificationKind.PARTNER_CHECKED_IN) {
                    return;
                }
            }
            System.out.println("no check-in notification reached " + sam + " within 10 s");
            System.exit(1);
        } finally {
            channel.shutdownNow();
        }
    }

}
