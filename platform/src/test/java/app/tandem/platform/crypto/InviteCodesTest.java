package app.tandem.platform.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Invite codes read out between partners; what is stored of them cannot be tested against guesses without the secret. */
class InviteCodesTest {

    private static byte[] secret(int fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) fill);
        return secret;
    }

    @Test
    void aCodeIsTheSameForItsCoupleAndWellFormed() {
        InviteCodes codes = new InviteCodes(secret(1), "invite");
        String code = codes.codeFor("couple-1");
        assertThat(code).isEqualTo(codes.codeFor("couple-1")).isNotEqualTo(codes.codeFor("couple-2"));
        assertThat(InviteCodes.isWellFormed(code)).isTrue();
        assertThat(InviteCodes.isWellFormed(code.substring(0, 5) + "-" + code.substring(5).toLowerCase())).isTrue();
    }

    @Test
    void theStoredHashIsKeyedSoAGuessCannotBeCheckedWithoutTheSecret() throws Exception {
        InviteCodes codes = new InviteCodes(secret(1), "invite");
        String code = codes.codeFor("couple-1");
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        assertThat(codes.hash(code)).isNotEqualTo(plain)
                .isEqualTo(codes.hash(code.toLowerCase()))
                .isNotEqualTo(new InviteCodes(secret(2), "invite").hash(code));
    }

    @Test
    void codesOfOneKindOfInvitationNeitherEqualNorMatchAnothers() {
        InviteCodes couples = new InviteCodes(secret(1), "invite");
        InviteCodes clients = new InviteCodes(secret(1), "client-invitation");
        assertThat(clients.codeFor("x")).isNotEqualTo(couples.codeFor("x"));
        assertThat(clients.hash(couples.codeFor("x"))).isNotEqualTo(couples.hash(couples.codeFor("x")));
    }
}
