package io.stagetune.common.runtime;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** Maps a bearer token to the client and roles configured for it in {@link SecurityConfig}. */
@ApplicationScoped
public class ConfiguredTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final SecurityConfig config;

    public ConfiguredTokenIdentityProvider(SecurityConfig config) {
        this.config = config;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] presented = request.getToken().getToken().getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, SecurityConfig.Client> client : config.tokens().entrySet()) {
            byte[] expected = client.getValue().token().getBytes(StandardCharsets.UTF_8);
            // Constant-time comparison: the token is a shared secret.
            if (expected.length > 0 && MessageDigest.isEqual(presented, expected)) {
                return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(client.getKey()))
                        .addRoles(client.getValue().roles())
                        .addCredential(request.getToken())
                        .build());
            }
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
    }
}
