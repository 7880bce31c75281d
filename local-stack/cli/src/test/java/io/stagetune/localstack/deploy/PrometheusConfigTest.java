package io.stagetune.localstack.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

/** promtool accepts the Prometheus configurations and the rules they load. */
class PrometheusConfigTest {

    @Test
    void composePrometheusConfigIsValid() {
        DeployTools.assumeInstalled("promtool");
        DeployTools.succeed("promtool", "check", "config", "deploy/prometheus/prometheus.yml");
    }

    @Test
    void kubernetesPrometheusConfigIsValid() {
        DeployTools.assumeInstalled("promtool");
        DeployTools.Result result = DeployTools.run(List.of("promtool", "check", "config",
                "deploy/prometheus/kubernetes.yml"));
        // Debian's Prometheus is built without Kubernetes service discovery.
        boolean withoutKubernetes = result.output().contains("field kubernetes_sd_configs not found");
        if (withoutKubernetes) {
            System.out.println("SKIPPED: this promtool has no Kubernetes service discovery; kubernetes.yml not checked");
        }
        Assumptions.assumeFalse(withoutKubernetes, "promtool without kubernetes_sd_configs");
        if (result.exitCode() != 0) {
            throw new AssertionError(result.output());
        }
    }

    @Test
    void rulesAreValid() {
        DeployTools.assumeInstalled("promtool");
        DeployTools.succeed("sh", "-c", "promtool check rules deploy/prometheus/rules/*.yml");
    }
}
