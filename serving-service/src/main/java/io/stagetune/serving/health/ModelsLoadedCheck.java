package io.stagetune.serving.health;

import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.model.ServedModels;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every served model has a version loaded, so no replica takes traffic it can only refuse. */
@Readiness
@ApplicationScoped
public class ModelsLoadedCheck implements HealthCheck {

    private final ServedModels served;
    private final ServingConfig config;

    public ModelsLoadedCheck(ServedModels served, ServingConfig config) {
        this.served = served;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models loaded").up();
        for (String model : config.models()) {
            var current = served.current(model);
            if (current.isPresent()) {
                response.withData(model, current.get().version());
            } else {
                response.down().withData(model, "no version loaded");
            }
        }
        return response.build();
    }
}
