package io.stagetune.common.events;

import java.util.List;

/** The fine-tuning stages, in the order a default plan runs them. */
public enum Stage {
    /** New head trained on a frozen backbone. */
    HEAD,
    /** Parameters under {@code layer4.} and the head trained. */
    LAYER4,
    /** The whole network trained. */
    FULL;

    public static final List<Stage> DEFAULT_PLAN = List.of(HEAD, LAYER4, FULL);

    /** Lower-case name used in object keys and metric labels. */
    public String pathName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
