package io.stagetune.localstack.cli.format;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** How the reports write numbers and times: the same everywhere, independent of the machine's locale. */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** A metric between 0 and 1 with three decimals; {@code -} when unknown. */
    public static String fraction(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** A confidence interval {@code [lo, hi]} with three decimals; {@code -} when unknown. */
    public static String interval(List<Double> bounds) {
        return bounds == null || bounds.size() != 2 || bounds.get(0) == null || bounds.get(1) == null ? "-"
                : "[" + fraction(bounds.get(0)) + ", " + fraction(bounds.get(1)) + "]";
    }

    /** A change between two fractions, signed, with three decimals; empty when either is unknown. */
    public static String change(Double before, Double after) {
        return before == null || after == null ? "" : String.format(Locale.ROOT, "%+.3f", after - before);
    }

    /** A moment in UTC to the second; {@code -} when unknown. */
    public static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }
}
