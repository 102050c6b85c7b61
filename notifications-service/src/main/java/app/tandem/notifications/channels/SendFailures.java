package app.tandem.notifications.channels;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailSendException;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What is kept and logged of a failed send: the exception's class and a code the outside system answered with (an
 * HTTP status, an SMTP reply code), never its message: an SMTP server's answer names addresses, a resolver's the host.
 */
final class SendFailures {

    private SendFailures() {
    }

    static String codeOf(Throwable failure) {
        String code = answerCode(failure);
        return failure.getClass().getName() + (code == null ? "" : " " + code);
    }

    /** Whether the webhook's host now has an address it may never be called at. */
    static boolean refusedForGood(Throwable failure) {
        return cause(failure, WebhookAddresses.RefusedHost.class).map(refused -> refused.refusal().lasting()).orElse(false);
    }

    /** Whether no lookup of the webhook's host could be made now, which says nothing about the webhook. */
    static boolean lookupBusy(Throwable failure) {
        return cause(failure, WebhookAddresses.LookupBusy.class).isPresent();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** The first code an outside system answered with, looking through causes and a mail send's failed messages. */
    private static String answerCode(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof WebhookChannel.Answered answered) {
                return "http " + answered.status;
            }
            if (t instanceof WebhookAddresses.LookupBusy) {
                return "lookup busy";
            }
            if (t instanceof WebhookAddresses.RefusedHost refused) {
                return refused.refusal().lasting() ? "address refused" : "host not found";
            }
            if (t instanceof SMTPSendFailedException smtp) {
                return "smtp " + smtp.getReturnCode();
            }
            if (t instanceof SMTPAddressFailedException smtp) {
                return "smtp " + smtp.getReturnCode();
            }
            if (t instanceof SMTPSenderFailedException smtp) {
                return "smtp " + smtp.getReturnCode();
            }
            if (t instanceof MailSendException mail) {
                for (Exception each : mail.getMessageExceptions()) {
                    String code = answerCode(each);
                    if (code != null) {
                        return code;
                    }
                }
            }
        }
        return null;
    }
}
