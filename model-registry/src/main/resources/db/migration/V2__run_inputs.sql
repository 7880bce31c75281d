-- What a run was trained with, so the trainer's planner can keep its runs here (the trigger policy compares a new
-- dataset version with the model's last run) and a run shows its settings.
alter table run add column hyperparameters varchar;
alter table run add column train_images integer;
alter table run add column labels varchar;
