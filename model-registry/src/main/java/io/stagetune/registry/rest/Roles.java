package io.stagetune.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;

/** Who may change what: admins everything, the evaluator versions, aliases and decisions, the trainer runs. */
final class Roles {

    static final String ADMIN = "admin";
    static final String EVALUATOR = "evaluator";
    static final String TRAINER = "trainer";

    private Roles() {
    }

    /** The name recorded as the actor of a change: the authenticated client. */
    static String actor(SecurityIdentity identity) {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }
}
