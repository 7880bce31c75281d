package io.stagetune.persistence.outbox;

import io.stagetune.common.events.PipelineEvent;

/**
 * What must be durable before an event may leave, e.g. the files an event names. The relay calls every bean of
 * this type in its transaction before it sends the event; a hook that throws keeps the event pending, and the relay
 * tries again in a later round. Hooks are idempotent: an event can be prepared more than once.
 */
public interface BeforeSend {

    void prepare(PipelineEvent event);
}
