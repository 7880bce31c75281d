package io.stagetune.registry.service;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.LeaseRequest;
import io.stagetune.common.registry.LeaseState;
import io.stagetune.common.registry.StageLeaseView;
import io.stagetune.registry.Run;
import io.stagetune.registry.StageLease;
import io.stagetune.registry.repository.RunRepository;
import io.stagetune.registry.repository.StageLeaseRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;

/**
 * Leases on a run's stages, the trainer workers' mutual exclusion. Every change runs in one transaction that first
 * locks the run's row ({@code SELECT ... FOR UPDATE}), so concurrent calls for one run, from any number of workers
 * and registry replicas, apply one at a time. Rules:
 * <ul>
 *   <li>acquisition grants the lease, with the next token, when nobody holds it, when it was released, when it
 *   expired (its holder stopped renewing), or to its own owner again; otherwise it answers who holds it until when.
 *   A PUBLISHED stage is never granted again;</li>
 *   <li>every other change (renewal, an epoch checkpoint, completion, publication, release) names the token and is
 *   refused (409) unless that token is the latest grant: a worker that lost its lease cannot record an epoch, choose
 *   the stage's checkpoint or mark it published, whatever its clock says;</li>
 *   <li>completion fixes the checkpoint attempt once; later holders only publish it.</li>
 * </ul>
 * Expiry is judged by this registry's clock alone.
 */
@ApplicationScoped
public class StageLeaseService {

    static final int DEFAULT_TTL_SECONDS = 60;
    static final int MAX_TTL_SECONDS = 24 * 3600;

    private final RunRepository runs;
    private final StageLeaseRepository leases;

    public StageLeaseService(RunRepository runs, StageLeaseRepository leases) {
        this.runs = runs;
        this.leases = leases;
    }

    @Transactional
    public StageLeaseView acquire(String runId, Stage stage, LeaseRequest request) {
        String owner = owner(request);
        Duration ttl = ttl(request);
        Run run = lockedRun(runId, stage);
        Instant now = Checks.now();
        StageLease lease = leases.find(run.id(), stage).orElse(null);
        if (lease == null) {
            lease = new StageLease(run.id(), stage);
            lease.grant(owner, now, now.plus(ttl));
            leases.persist(lease);
            return view(lease, true);
        }
        boolean free = lease.state() == LeaseState.RELEASED || !lease.expiresAt().isAfter(now)
                || lease.owner().equals(owner);
        if (lease.state() == LeaseState.PUBLISHED || !free) {
            return view(lease, false);
        }
        lease.grant(owner, now, now.plus(ttl));
        return view(lease, true);
    }

    /** Extends the lease; with an epoch, also records that epoch's checkpoint as the place to resume from. */
    @Transactional
    public StageLeaseView renew(String runId, Stage stage, LeaseRequest request) {
        Duration ttl = ttl(request);
        StageLease lease = current(runId, stage, request, "renew");
        if (lease.state() == LeaseState.RELEASED) {
            throw RegistryException.conflict(describe(lease) + " was released by '" + lease.owner()
                    + "'; acquire it again");
        }
        Instant now = Checks.now();
        if (request.epoch() != null) {
            if (lease.state() != LeaseState.HELD) {
                throw RegistryException.conflict(describe(lease) + " is " + lease.state()
                        + ": no epoch checkpoint is recorded any more");
            }
            Checks.positive("epoch", request.epoch());
            Checks.required("epochCheckpoint", request.epochCheckpoint(), Checks.MAX_URI);
            if (lease.epoch() != null && request.epoch() < lease.epoch()) {
                throw RegistryException.conflict(describe(lease) + " has epoch " + lease.epoch()
                        + " recorded; epoch " + request.epoch() + " is older");
            }
            lease.recordEpoch(request.epoch(), request.epochCheckpoint(), now);
        }
        if (lease.state() != LeaseState.PUBLISHED) {
            lease.renew(now, now.plus(ttl));
        }
        return view(lease, true);
    }

    /** Chooses the checkpoint attempt of the current token as the stage's checkpoint; once. */
    @Transactional
    public StageLeaseView complete(String runId, Stage stage, LeaseRequest request) {
        String attempt = Checks.required("attempt", request == null ? null : request.attempt(), Checks.MAX_URI);
        StageLease lease = current(runId, stage, request, "complete");
        switch (lease.state()) {
            case HELD -> lease.complete(attempt, Checks.now());
            case COMPLETED, PUBLISHED -> {
                if (!attempt.equals(lease.attempt())) {
                    throw RegistryException.conflict(describe(lease) + " is already completed with checkpoint "
                            + lease.attempt());
                }
            }
            case RELEASED -> throw RegistryException.conflict(describe(lease)
                    + " was released; acquire it again to complete it");
        }
        return view(lease, true);
    }

    @Transactional
    public StageLeaseView published(String runId, Stage stage, LeaseRequest request) {
        StageLease lease = current(runId, stage, request, "mark published");
        switch (lease.state()) {
            case COMPLETED -> lease.published(Checks.now());
            case PUBLISHED -> {
            }
            case HELD, RELEASED -> throw RegistryException.conflict(describe(lease)
                    + " has no completed checkpoint to publish");
        }
        return view(lease, true);
    }

    /** Hands the lease back (a stopping worker): the next acquisition needs no wait for the expiry. */
    @Transactional
    public StageLeaseView release(String runId, Stage stage, LeaseRequest request) {
        StageLease lease = current(runId, stage, request, "release");
        if (lease.state() != LeaseState.PUBLISHED) {
            lease.release(Checks.now());
        }
        return view(lease, false);
    }

    @Transactional
    public StageLeaseView get(String runId, Stage stage) {
        return leases.find(runId, stage).map(lease -> view(lease, false))
                .orElseThrow(() -> RegistryException.notFound("run '" + runId + "' stage " + stage
                        + " has no lease"));
    }

    /** The lease, locked with its run, if {@code request} names its current token and owner; else a 409. */
    private StageLease current(String runId, Stage stage, LeaseRequest request, String what) {
        String owner = owner(request);
        if (request.token() == null) {
            throw RegistryException.badRequest("token is required to " + what + " a lease");
        }
        lockedRun(runId, stage);
        StageLease lease = leases.find(runId, stage).orElseThrow(() -> RegistryException.notFound("run '" + runId
                + "' stage " + stage + " has no lease"));
        if (lease.token() != request.token() || !lease.owner().equals(owner)) {
            throw RegistryException.conflict("cannot " + what + ": token " + request.token() + " of '" + owner
                    + "' is no longer current, " + describe(lease) + " is held by '" + lease.owner()
                    + "' with token " + lease.token());
        }
        return lease;
    }

    private Run lockedRun(String runId, Stage stage) {
        if (stage == null) {
            throw RegistryException.badRequest("stage is required");
        }
        Run run = runs.lock(runId).orElseThrow(() -> RegistryException.notFound("run '" + runId + "' not found"));
        if (!run.plan().contains(stage)) {
            throw RegistryException.badRequest("stage " + stage + " is not in run '" + runId + "' plan "
                    + run.plan());
        }
        return run;
    }

    private static String owner(LeaseRequest request) {
        if (request == null) {
            throw RegistryException.badRequest("body must name the worker: {\"owner\": \"trainer-0\", "
                    + "\"token\": 1}");
        }
        return Checks.required("owner", request.owner(), 200);
    }

    private static Duration ttl(LeaseRequest request) {
        Integer seconds = request == null ? null : request.ttlSeconds();
        if (seconds == null) {
            return Duration.ofSeconds(DEFAULT_TTL_SECONDS);
        }
        if (seconds < 1 || seconds > MAX_TTL_SECONDS) {
            throw RegistryException.badRequest("ttlSeconds must be between 1 and " + MAX_TTL_SECONDS + ", got "
                    + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    private static String describe(StageLease lease) {
        return "the lease of run '" + lease.runId() + "' stage " + lease.stage();
    }

    private static StageLeaseView view(StageLease lease, boolean granted) {
        return new StageLeaseView(lease.runId(), lease.stage(), lease.state(), lease.owner(), lease.token(),
                lease.expiresAt(), lease.epoch(), lease.epochCheckpoint(), lease.attempt(), lease.acquiredAt(),
                lease.updatedAt(), granted);
    }
}
