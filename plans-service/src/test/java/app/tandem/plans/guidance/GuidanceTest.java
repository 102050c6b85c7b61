package app.tandem.plans.guidance;

import app.tandem.plans.conversation.ConversationCommands.Stage;
import app.tandem.plans.safetyplan.PlanSection.Role;
import app.tandem.plans.safetyplan.PlanSection.Timeframe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class GuidanceTest {

    /** Every translation of the guidance; a new bundle file is added here. */
    private static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.GERMAN);

    /**
     * Words that label people by their use or shame them, in every language the guidance speaks (stems, so "addicted"
     * and "Abhängiger" are caught too): person-first, non-judgemental language only.
     */
    private static final Pattern STIGMATISING = Pattern.compile("(?iU)\\b(addict\\w*|junk(ie|y)\\w*|abuser?s?|abusing|alcoholics?|"
            + "drunks?|druggies?|dope\\s?heads?|crackheads?|clean|dirty|user|users|failure|failed|weak|"
            + "süchtige\\w*|junkies?|abhängige[rn]?|säufer\\w*|trinker\\w*|missbrauch\\w*|sauber\\w*|schmutzig\\w*|versag\\w*|schwäche\\w*)\\b");

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Role role : Role.values()) {
            for (Timeframe stage : Timeframe.values()) {
                keys.add("relapse." + role + "." + stage);
            }
        }
        for (Stage stage : Stage.values()) {
            keys.add("conversation." + stage);
        }
        return keys;
    }

    @Test
    void everyRoleAtEveryStageAndEveryConversationStageHasGuidanceInEveryLocale() {
        for (Locale locale : LOCALES) {
            ResourceBundle bundle = Guidance.bundle(locale);
            assertThat(bundle.getLocale().getLanguage()).as("a bundle of its own for %s", locale).isEqualTo(locale == Locale.ENGLISH ? "" : locale.getLanguage());
            for (String key : keys()) {
                assertThat(bundle.containsKey(key) && !bundle.getString(key).isBlank()).as("%s in %s", key, locale).isTrue();
            }
        }
    }

    @Test
    void noTextUsesAStigmatisingWord() {
        List<String> found = new ArrayList<>();
        for (Locale locale : LOCALES) {
            ResourceBundle bundle = Guidance.bundle(locale);
            for (String key : bundle.keySet()) {
                var matcher = STIGMATISING.matcher(bundle.getString(key));
                while (matcher.find()) {
                    found.add(locale + " " + key + ": " + matcher.group());
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theListCatchesWhatItIsFor() {
        assertThat(STIGMATISING.matcher("He is an addict").find()).isTrue();
        assertThat(STIGMATISING.matcher("a clean test").find()).isTrue();
        assertThat(STIGMATISING.matcher("Er ist Süchtiger").find()).isTrue();
        assertThat(STIGMATISING.matcher("a person who uses drugs").find()).isFalse();
    }

    @Test
    void aLocaleFallsBackToItsLanguageThenToEnglish() {
        assertThat(Guidance.forConversation("HELD", Guidance.locale("de-AT"))).startsWith("Kleine");
        assertThat(Guidance.forConversation("HELD", Guidance.locale("fr"))).startsWith("Small");
        assertThat(Guidance.forConversation("HELD", Guidance.locale(""))).startsWith("Small");
        assertThat(Guidance.forRelapseTask("IF_MY_PARTNER_LAPSES", "IMMEDIATELY", Locale.ENGLISH)).contains("care");
    }
}
