package io.stagetune.localstack.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose accepts the stack and its GPU override (health conditions, GPU reservation, variables). */
class ComposeFilesTest {

    @Test
    void composeFileIsValid() {
        DeployTools.assumeInstalled("docker-compose");
        DeployTools.succeed("docker-compose", "--env-file", envFile(), "-f", "docker-compose.yml", "config", "-q");
    }

    @Test
    void gpuOverrideIsValidAndReservesAGpuForTheTrainer() {
        DeployTools.assumeInstalled("docker-compose");
        String merged = DeployTools.succeed("docker-compose", "--env-file", envFile(), "-f", "docker-compose.yml",
                "-f", "docker-compose.gpu.yml", "config");
        String trainer = merged.substring(merged.indexOf("\n  trainer-service:"));
        assertThat(trainer).contains("driver: nvidia").contains("- gpu").contains("Dockerfile.cuda");
    }

    @Test
    void everyVariableTheStackNeedsIsInTheExampleEnvFile() {
        DeployTools.assumeInstalled("docker-compose");
        // With only the example's variables, nothing may be left unset (docker-compose warns on stderr).
        String output = DeployTools.succeed("docker-compose", "--env-file", ".env.example", "-f", "docker-compose.yml",
                "-f", "docker-compose.gpu.yml", "config", "-q");
        assertThat(output).doesNotContain("is not set");
    }

    @Test
    void deploymentYamlPassesLint() {
        DeployTools.assumeInstalled("yamllint");
        DeployTools.succeed("yamllint", "-c", "deploy/.yamllint.yml", "docker-compose.yml", "docker-compose.gpu.yml",
                "deploy");
    }

    /** The real .env when a developer has one, the committed example otherwise (as in CI). */
    private static String envFile() {
        return Files.exists(DeployTools.root().resolve(".env")) ? ".env" : ".env.example";
    }
}
