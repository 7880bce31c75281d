-- The production version a run starts from (a warm start), resolved when the run was planned; null: the base backbone.
alter table run add column warm_start_version bigint;
alter table run add column warm_start_checkpoint varchar(1000);
