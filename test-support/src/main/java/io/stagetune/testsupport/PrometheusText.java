package io.stagetune.testsupport;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a service's {@code /q/metrics} page (Prometheus text exposition), for tests. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The value of the first sample of {@code name}, whatever its labels. */
    public static double value(String exposition, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(exposition);
        if (!matcher.find()) {
            throw new AssertionError("the metrics page has no sample of " + name);
        }
        return Double.parseDouble(matcher.group(1));
    }

    /**
     * The value of the first sample of {@code name} that carries all these labels, or 0 when there is none (a
     * counter that was never incremented is not exported).
     */
    public static double value(String exposition, String name, Map<String, String> labels) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(exposition);
        while (matcher.find()) {
            String found = matcher.group(1);
            if (labels.entrySet().stream().allMatch(label -> found.contains(label.getKey() + "=\"" + label.getValue()
                    + "\""))) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }
}
