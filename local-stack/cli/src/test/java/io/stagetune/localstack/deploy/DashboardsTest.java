package io.stagetune.localstack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboards are valid JSON for the provisioned Prometheus datasource, and every query they run (and
 * every rule Prometheus evaluates) reads only series listed in deploy/metrics.txt or recorded by a rule.
 */
class DashboardsTest {

    static final Path DASHBOARDS = Path.of("deploy/grafana/dashboards");
    static final Path RULES = Path.of("deploy/prometheus/rules");
    static final Path METRICS = Path.of("deploy/metrics.txt");

    /** One PromQL query of a dashboard: a panel target or a variable. */
    record Query(String dashboard, String panel, String expression, boolean variable) {
        Set<String> seriesNames() {
            return variable ? PromQl.variableSeriesNames(expression) : PromQl.seriesNames(expression);
        }
    }

    @Test
    void dashboardsAreWellFormedForTheProvisionedDatasource() throws IOException {
        String datasourceUid = new YAMLMapper().readTree(DeployTools.root()
                        .resolve("deploy/grafana/provisioning/datasources/prometheus.yml").toFile())
                .path("datasources").get(0).path("uid").asText();
        Set<String> uids = new HashSet<>();
        List<Path> files = dashboardFiles();
        assertThat(files).extracting(path -> path.getFileName().toString())
                .contains("training.json", "pipeline.json", "model-quality.json");
        for (Path file : files) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid in %s", file).isTrue();
            assertThat(dashboard.path("title").asText()).as("title of %s", file).isNotBlank();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels(dashboard)) {
                assertThat(ids.add(panel.path("id").asInt())).as("unique panel id in %s", file).isTrue();
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo(datasourceUid);
                assertThat(panel.path("targets")).as("queries of %s", where).isNotEmpty();
                panel.path("targets").forEach(target ->
                        assertThat(target.path("expr").asText()).as("query of %s", where).isNotBlank());
            }
        }
    }

    @Test
    void everyQueryReadsOnlyKnownSeries() throws IOException {
        Set<String> known = new HashSet<>(listedSeries());
        known.addAll(recordingRules().keySet());
        List<String> unknown = new ArrayList<>();
        for (Query query : queries()) {
            for (String series : query.seriesNames()) {
                if (!known.contains(series)) {
                    unknown.add(series + " in " + query.dashboard() + " / " + query.panel() + ": " + query.expression());
                }
            }
        }
        assertThat(unknown).as("series not in deploy/metrics.txt nor recorded by a rule").isEmpty();
    }

    @Test
    void everyRuleReadsOnlyKnownSeries() throws IOException {
        Set<String> known = new HashSet<>(listedSeries());
        known.addAll(recordingRules().keySet());
        for (JsonNode rule : rules()) {
            String name = rule.has("record") ? rule.path("record").asText() : rule.path("alert").asText();
            assertThat(PromQl.seriesNames(rule.path("expr").asText())).as("series read by rule %s", name)
                    .allSatisfy(series -> assertThat(known).contains(series));
        }
    }

    @Test
    void everyDashboardIsProvisionedFromTheFolderComposeMounts() throws IOException {
        JsonNode provider = new YAMLMapper().readTree(DeployTools.root()
                .resolve("deploy/grafana/provisioning/dashboards/stagetune.yml").toFile()).path("providers").get(0);
        String compose = Files.readString(DeployTools.root().resolve("docker-compose.yml"));
        assertThat(compose).contains("./deploy/grafana/dashboards:" + provider.path("options").path("path").asText());
    }

    /** Every query of every dashboard, for this check and for a live check against a running Prometheus. */
    static List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            String title = dashboard.path("title").asText();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    JsonNode query = variable.path("query");
                    String text = query.isObject() ? query.path("query").asText() : query.asText();
                    queries.add(new Query(title, "$" + variable.path("name").asText(), text, true));
                }
            }
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(title, panel.path("title").asText(), target.path("expr").asText(), false));
                }
            }
        }
        return queries;
    }

    static Set<String> listedSeries() throws IOException {
        Set<String> names = new HashSet<>();
        for (String line : Files.readAllLines(DeployTools.root().resolve(METRICS))) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                names.add(trimmed.split("\\s+")[0]);
            }
        }
        return names;
    }

    static Map<String, String> recordingRules() throws IOException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (JsonNode rule : rules()) {
            if (rule.has("record")) {
                recorded.put(rule.path("record").asText(), rule.path("expr").asText());
            }
        }
        return recorded;
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(DeployTools.root().resolve(RULES))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yml")).sorted().toList()) {
                for (JsonNode group : new YAMLMapper().readTree(file.toFile()).path("groups")) {
                    group.path("rules").forEach(rules::add);
                }
            }
        }
        return rules;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DeployTools.root().resolve(DASHBOARDS))) {
            return files.filter(path -> path.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }
}
