-- Who killed the flag an alert is about. Until now `action` was set only when the alert's own guardrail policy
-- killed the flag; a rollout plan (onBreach: KILL) reading the same report usually kills it first, and the alert
-- then said nothing of the kill. Now an alert records the kill whoever made it: guardrail:<metric>, plan:<id>, or a
-- person, with the kill's time in action_at.
ALTER TABLE alerts ADD COLUMN action_by TEXT;
UPDATE alerts SET action_by = 'guardrail:' || metric WHERE action = 'KILLED';
