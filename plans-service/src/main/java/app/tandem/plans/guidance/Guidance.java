package app.tandem.plans.guidance;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.regex.Pattern;

/**
 * Short, non-judgemental guidance shown with a relapse-response task (by role and stage) or a conversation (by its
 * stage), from the {@code guidance/Guidance} resource bundles: a locale's own text, then its language's, then English.
 */
public final class Guidance {

    public static final String BUNDLE = "guidance.Guidance";
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z0-9_-]{0,35}");

    private Guidance() {
    }

    /** For a relapse-response task: {@code role} and {@code stage} as the safety plan names them. */
    public static String forRelapseTask(String role, String stage, Locale locale) {
        return text("relapse." + role + "." + stage, locale);
    }

    public static String forConversation(String stage, Locale locale) {
        return text("conversation." + stage, locale);
    }

    /** What a request may give as its locale (empty for English). */
    public static boolean isLocale(String tag) {
        return LOCALE.matcher(tag).matches();
    }

    /** A BCP 47 tag as a request gives it; empty or unknown is English. */
    public static Locale locale(String tag) {
        return tag == null || tag.isBlank() ? Locale.ENGLISH : Locale.forLanguageTag(tag);
    }

    private static String text(String key, Locale locale) {
        try {
            return bundle(locale).getString(key);
        } catch (MissingResourceException none) {
            return "";
        }
    }

    static ResourceBundle bundle(Locale locale) {
        // English is the base bundle: never fall back to the machine's default locale
        return ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
