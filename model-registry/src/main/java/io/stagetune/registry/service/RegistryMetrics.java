package io.stagetune.registry.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Alias moves and promotions, counted once their transaction committed. */
@ApplicationScoped
public class RegistryMetrics {

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;

    public RegistryMetrics(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
    }

    void aliasMoved(String model, String alias, String kind) {
        afterCommit(() -> registry.counter("registry.alias.moves", "model", model, "alias", alias, "kind", kind)
                .increment());
    }

    void decided(String model, boolean promoted) {
        afterCommit(() -> registry.counter("registry.promotions", "model", model,
                "outcome", promoted ? "promoted" : "rejected").increment());
    }

    private void afterCommit(Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
