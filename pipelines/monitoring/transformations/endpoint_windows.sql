-- Requests per endpoint group and for all traffic (endpoint '*'), per minute and over 5-minute and 1-hour windows
-- sliding every minute: the rows of this query go through the `endpoint_windows` step of streampatterns.yml (our
-- pane-based windows: all three lengths in one pass, each window written once when the watermark passes its end).
-- The endpoint group is a path's first segment (/images/a.png -> /images; /favicon.ico -> /), as `monitor` does.
-- `logs` is the overlay source: the Apache access logs of ${input}, lines that do not parse quarantined to
-- STORAGE/logs_quarantine.
CREATE STREAMING TABLE endpoint_windows
COMMENT 'requests, errors, bytes, latency quantiles and distinct clients per endpoint group and window'
AS SELECT
  explode(array('*',
    CASE
      WHEN path IS NULL THEN '(none)'
      WHEN regexp_extract(regexp_extract(path, '^([^?#]*)', 1), '^(/[^/]+)/', 1) <> ''
        THEN regexp_extract(regexp_extract(path, '^([^?#]*)', 1), '^(/[^/]+)/', 1)
      ELSE '/'
    END)) AS endpoint,
  ts,
  client,
  CASE WHEN status BETWEEN 400 AND 499 THEN 1L ELSE 0L END AS is_4xx,
  CASE WHEN status BETWEEN 500 AND 599 THEN 1L ELSE 0L END AS is_5xx,
  coalesce(bytes, 0L) AS size,
  response_us / 1000.0 AS latency_ms
FROM STREAM(logs);
