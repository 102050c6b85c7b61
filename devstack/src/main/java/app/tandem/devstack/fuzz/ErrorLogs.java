package app.tandem.devstack.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything any part of the running stack logs at ERROR (an exception a service did not map, a record set aside as a
 * dead letter, grpc-java's "exception while executing" through the JUL bridge) and every WARN that carries an
 * exception from Tandem's code or Axon's processors (a handler that failed), gathered while the fuzzer runs. Axon's
 * repositories warn of every aggregate they do not find, which the services answer as they mean to, so not those; nor
 * the Mongo-wire server's ERROR for a duplicate key, which MongoDB answers as an ordinary write error and a capped count
 * ({@code CappedCounts}) relies on.
 */
final class ErrorLogs extends AppenderBase<ILoggingEvent> {

    private final List<String> seen = new ArrayList<>();

    static ErrorLogs attach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ErrorLogs appender = new ErrorLogs();
        appender.setContext(context);
        appender.setName("fuzz-error-logs");
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        // a bench quiets the root logger to WARN; WARN and ERROR still arrive
        if (!root.isWarnEnabled()) {
            root.setLevel(Level.WARN);
        }
        return appender;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        boolean error = event.getLevel().isGreaterOrEqual(Level.ERROR);
        boolean failedHandler = event.getLevel() == Level.WARN && event.getThrowableProxy() != null
                && (event.getLoggerName().startsWith("app.tandem") || event.getLoggerName().startsWith("org.axonframework.eventhandling"));
        if ((error && !duplicateKeyAnswered(event)) || failedHandler) {
            seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage() + describe(event.getThrowableProxy()));
        }
    }

    private static boolean duplicateKeyAnswered(ILoggingEvent event) {
        if (!event.getLoggerName().startsWith("de.bwaldvogel.mongo")) {
            return false;
        }
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            if (cause.getClassName().equals("de.bwaldvogel.mongo.exception.DuplicateKeyError")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IThrowableProxy throwable) {
        StringBuilder text = new StringBuilder();
        for (IThrowableProxy current = throwable; current != null; current = current.getCause()) {
            text.append("\n  caused by ").append(current.getClassName()).append(": ").append(current.getMessage());
            var frames = current.getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(frames.length, 8); i++) {
                text.append("\n    ").append(frames[i].getSTEAsString());
            }
        }
        return text.toString();
    }

    /** What was logged since the last call. */
    synchronized List<String> drain() {
        List<String> drained = List.copyOf(seen);
        seen.clear();
        return drained;
    }
}
