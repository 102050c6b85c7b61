package app.tandem.cli;

import picocli.CommandLine;

import java.time.Duration;

/** An ISO-8601 duration such as PT0.5S. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Duration.parse(value);
    }
}
