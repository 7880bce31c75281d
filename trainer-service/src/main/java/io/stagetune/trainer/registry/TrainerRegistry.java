package io.stagetune.trainer.registry;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.LeaseRequest;
import io.stagetune.common.registry.RunRequest;
import io.stagetune.common.registry.RunUpdate;
import io.stagetune.common.registry.RunView;
import io.stagetune.common.registry.StageLeaseView;
import io.stagetune.common.registry.VersionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry calls the trainer makes, with its failures sorted into two kinds: {@link RegistryUnavailableException}
 * (unreachable, 5xx, 408, 429: retry later) and {@link RegistryRefusedException} (any other 4xx, with the
 * registry's message).
 */
@ApplicationScoped
public class TrainerRegistry {

    private final RegistryClient client;

    public TrainerRegistry(@RestClient RegistryClient client) {
        this.client = client;
    }

    /** @return true when this call created the run, false when it existed already (it is left unchanged) */
    public boolean createRun(RunRequest request) {
        return call("create run " + request.runId(), () -> {
            try (var response = client.createRun(request)) {
                return response.getStatus() == 201;
            }
        });
    }

    public RunView updateRun(String runId, RunUpdate update) {
        return call("update run " + runId, () -> client.updateRun(runId, update));
    }

    public Optional<RunView> run(String runId) {
        return orEmptyWhenMissing(() -> call("read run " + runId, () -> client.run(runId)));
    }

    public List<RunView> runs(String model) {
        return call("list runs", () -> client.runs(model));
    }

    /** Takes the stage's lease when it is free; the view says whether this call was granted it. */
    public StageLeaseView acquireLease(String runId, Stage stage, LeaseRequest request) {
        return call("acquire the lease of run " + runId + " stage " + stage,
                () -> client.acquireLease(runId, stage, request));
    }

    /** Renews a held lease (with an epoch checkpoint to record, if the request names one); 409 when fenced. */
    public StageLeaseView renewLease(String runId, Stage stage, LeaseRequest request) {
        return call("renew the lease of run " + runId + " stage " + stage,
                () -> client.renewLease(runId, stage, request));
    }

    public StageLeaseView completeLease(String runId, Stage stage, LeaseRequest request) {
        return call("complete run " + runId + " stage " + stage, () -> client.completeLease(runId, stage, request));
    }

    public StageLeaseView leasePublished(String runId, Stage stage, LeaseRequest request) {
        return call("mark run " + runId + " stage " + stage + " published",
                () -> client.leasePublished(runId, stage, request));
    }

    public StageLeaseView releaseLease(String runId, Stage stage, String owner, long token) {
        return call("release the lease of run " + runId + " stage " + stage,
                () -> client.releaseLease(runId, stage, owner, token));
    }

    /** The version the alias points at; empty when the registry knows no such model or alias. */
    public Optional<VersionView> aliasVersion(String model, String alias) {
        return orEmptyWhenMissing(() -> call("read alias " + alias + " of model " + model,
                () -> client.aliasVersion(model, alias)));
    }

    private static <T> Optional<T> orEmptyWhenMissing(Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (RegistryRefusedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ProcessingException e) {
            throw new RegistryUnavailableException("model registry unreachable (" + what + "): "
                    + rootMessage(e), e);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String body = body(e);
            if (status >= 500 || status == 408 || status == 429) {
                throw new RegistryUnavailableException("model registry failed (" + what + "): " + status + " "
                        + body, e);
            }
            throw new RegistryRefusedException(status, "model registry refused to " + what + ": " + status + " "
                    + body, e);
        }
    }

    private static String body(WebApplicationException e) {
        try {
            return e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : "";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
