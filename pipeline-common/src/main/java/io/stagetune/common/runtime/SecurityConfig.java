package io.stagetune.common.runtime;

import io.smallrye.config.ConfigMapping;

import java.util.Map;
import java.util.Set;

/**
 * {@code pipeline.security.tokens.<client>.token} and {@code .roles}: the bearer tokens a service accepts and the
 * roles each one grants. Tokens are secrets: set them from the environment (for example
 * {@code PIPELINE_SECURITY_TOKENS_UPLOADER_TOKEN}) or a Kubernetes secret, never in a committed file.
 */
@ConfigMapping(prefix = "pipeline.security")
public interface SecurityConfig {

    Map<String, Client> tokens();

    interface Client {
        String token();

        Set<String> roles();
    }
}
