package app.tandem.plans.together;

import app.tandem.platform.crypto.PersonalDataCipher;
import org.springframework.stereotype.Component;

/** Reads a goal's title under its writer's key: empty once the writer was erased. */
@Component
public class SharedGoalTitles {

    private final PersonalDataCipher cipher;

    public SharedGoalTitles(PersonalDataCipher cipher) {
        this.cipher = cipher;
    }

    public String read(SharedGoalView goal) {
        return goal.proposedBy() == null || goal.encryptedTitle().isEmpty() ? ""
                : cipher.decrypt(goal.proposedBy(), goal.encryptedTitle()).orElse("");
    }

    public String seal(String writer, String title) {
        return cipher.encrypt(writer, title);
    }
}
