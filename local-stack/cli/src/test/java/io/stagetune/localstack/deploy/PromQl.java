package io.stagetune.localstack.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series names a PromQL expression reads. Good enough for the project's dashboards and rules: it drops
 * strings, label matchers, ranges and grouping clauses, then keeps every identifier that is not a function, an
 * aggregation or a keyword. Grafana variables only appear inside matchers and ranges, so they are dropped too.
 */
final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");

    private PromQl() {
    }

    static Set<String> seriesNames(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            boolean call = rest.substring(identifier.end()).stripLeading().startsWith("(");
            if (!call && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The series of a Grafana variable query: {@code label_values(series{...}, label)} or plain PromQL. */
    static Set<String> variableSeriesNames(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        return seriesNames(labelValues.matches() ? labelValues.group(1) : query);
    }
}
