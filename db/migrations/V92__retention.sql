-- Retention (docs/operations.md "Retention"): the earliest event time a flag's stored per-user partials were built
-- from (the window's start, or 14 days before it with CUPED). When PartitionMaintenance drops event partitions before
-- a cut-off, the state built from earlier events is deleted, so the next analysis recomputes it from the events that
-- remain instead of folding new ones into sums that still hold the dropped ones. Null (state stored before this
-- column): unknown, treated as built from dropped events.
ALTER TABLE analysis_state ADD COLUMN events_from TIMESTAMPTZ;

