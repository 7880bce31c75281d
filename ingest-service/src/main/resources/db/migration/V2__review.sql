-- The feedback loop: production predictions picked for review, the labels people give them, and the shadow
-- version's agreement with production. Portable SQL (H2 and PostgreSQL).

-- Where a label from production came from (JSON of ManifestEntry.Provenance); null for uploaded images.
alter table dataset_image add column provenance varchar(2000);

-- One row per picked image of a prediction: open until a reviewer labels it. item_id is the prediction id, or
-- <predictionId>.<n> for the n-th image of a request with several.
create table review_item (
    model varchar(64) not null,
    item_id varchar(48) not null,
    prediction_id varchar(36) not null,
    model_version bigint not null,
    dataset_id varchar(64),
    sha256 varchar(64) not null,
    reason varchar(16) not null,
    predicted_label varchar(64) not null,
    probability double precision not null,
    top_k varchar(4000) not null,
    shadow_version bigint,
    shadow_label varchar(64),
    predicted_at timestamp(6) with time zone not null,
    picked_at timestamp(6) with time zone not null,
    state varchar(16) not null,
    label varchar(64),
    reviewer varchar(200),
    labelled_at timestamp(6) with time zone,
    constraint pk_review_item primary key (model, item_id)
);
create index ix_review_queue on review_item (model, state, predicted_at);
create index ix_review_picks on review_item (model, reason, predicted_at);
create index ix_review_labelled on review_item (model, reason, state, labelled_at);

-- Top-1 agreement of a shadow version with production, per production label, over every prediction both answered.
create table shadow_agreement (
    model varchar(64) not null,
    model_version bigint not null,
    shadow_version bigint not null,
    label varchar(64) not null,
    predictions bigint not null,
    agreements bigint not null,
    constraint pk_shadow_agreement primary key (model, model_version, shadow_version, label)
);

-- The next offset to apply per topic partition, written in the transaction that applies a record: a record the
-- broker delivers again (after a rebalance or a crash) is skipped, so counts are never applied twice.
create table consumer_offset (
    consumer varchar(64) not null,
    topic_partition varchar(255) not null,
    next_offset bigint not null,
    constraint pk_consumer_offset primary key (consumer, topic_partition)
);
