package io.stagetune.registry.console;

import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number formats of the console's templates: {@code {fmt:fraction(v.accuracy)}}. */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** Three decimals, the precision the evaluator's reasons use; a dash when there is no value. */
    public static String fraction(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** An instant to the second, in UTC (the full instant is in the {@code time} element's datetime). */
    public static String time(Instant instant) {
        return instant == null ? "–" : TIME.format(instant);
    }

    /** Milliseconds as seconds with one decimal. */
    public static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
