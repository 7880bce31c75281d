-- The paired gate's statistics of a decision (JSON: overall and per class), null for older decisions and for those
-- of the thresholds policy.
alter table promotion_decision add column statistics varchar;
