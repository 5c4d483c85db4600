-- Visits per user. The rows of this query go through the `sessions` step of streampatterns.yml (our sessionizer:
-- 30-minute gap, 4 hours at most, a logout ends the visit) before they are written to STORAGE/sessions.
-- `clicks` is the overlay source: the clickstream files of ${input}, bad records quarantined to STORAGE/clicks_quarantine.
CREATE STREAMING TABLE sessions
COMMENT 'one row per visit, written once the visit is over'
AS SELECT user_id, ts, type, page, campaign, amount
FROM STREAM(clicks);
