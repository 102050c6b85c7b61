package app.tandem.notifications.channels;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/** E-mail over SMTP. The notification id travels in a header, so a receiver can drop a copy sent twice after a crash. */
class EmailChannel {

    private final JavaMailSender mail;
    private final String from;

    EmailChannel(JavaMailSender mail, String from) {
        this.mail = mail;
        this.from = from;
    }

    void send(String to, ChannelMessage message) throws MessagingException {
        MimeMessage mime = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(mime, "UTF-8");
        helper.setFrom(from);
        helper.setTo(to);
        helper.setSubject(message.subject());
        helper.setText(message.text());
        mime.setHeader("X-Tandem-Delivery", message.deliveryId());
        mail.send(mime);
    }
}
