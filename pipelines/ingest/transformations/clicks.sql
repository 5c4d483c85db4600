-- Clicks, validated against the clickstream schema (the overlay source `raw_clicks`: bad records go to
-- STORAGE/raw_clicks_quarantine with their reason), deduplicated on event_id within 10 minutes of event time (the
-- `dedup` step of streampatterns.yml), written once to STORAGE/clicks.
CREATE STREAMING TABLE clicks (
  -- ours: expectations in the Databricks syntax; QUARANTINE sends the row to STORAGE/clicks_quarantine
  CONSTRAINT known_type EXPECT (type IN ('page_view', 'click', 'add_to_cart', 'purchase', 'logout')) ON VIOLATION QUARANTINE,
  CONSTRAINT no_negative_amount EXPECT (amount IS NULL OR amount >= 0) ON VIOLATION DROP ROW
)
COMMENT 'clean, unique clicks'
AS SELECT * FROM STREAM(raw_clicks);
