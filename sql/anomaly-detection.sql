-- The lab's analytics (2020 lab guide, appendix), in Flink SQL.
--
-- Stream names and shape are the lab's: CLICKSTREAM and IMPRESSIONSTREAM count per window,
-- CTRSTREAM joins them on the window's time into a click-through rate, DESTINATION_SQL_STREAM
-- scores each rate with RANDOM_CUT_FOREST and keeps the anomalies. What changed, and why:
--   * KDA's "STREAM + PUMP" pairs become views: Flink plans the whole chain as one job.
--   * KDA's ROWTIME (arrival in the application) becomes the Kinesis arrival time of each record,
--     an event-time attribute, so that a replay gives the same windows as the live run.
--   * FLOOR(ROWTIME ... / 10 TO SECOND) becomes a TUMBLE window; its length is a runtime property.
--   * RANDOM_CUT_FOREST takes the same four parameters. KDA called it as a table function over a
--     cursor; here it is an aggregate over all earlier rows (an OVER window), which is what it is:
--     each row is scored against the forest built from the rows before it, then added to it. The
--     forest is the aggregate's accumulator, so it lives in Flink's managed state and survives a
--     restart from a snapshot.
--
-- The job defines SOURCE_SQL_STREAM_001 (browseraction, ROWTIME) from the ingest stream, runs
-- these statements in order, and sends the rows of DESTINATION_SQL_STREAM whose IS_ANOMALY is true
-- to the anomalies stream (and, where a scored stream is configured, every row to it: the live view).
-- ${Group.key} is a runtime property (sql/runtime-properties.json) of group Detection or
-- RandomCutForest, checked to be a number.
--
-- Event time: each record's time is its Kinesis arrival time, and event time moves on only as far as
-- the source has read (analytics/.../ShardClock.java); see docs/detection.md.

-- 2020: CREATE OR REPLACE STREAM "CLICKSTREAM" ("CLICKCOUNT" DOUBLE) + PUMP "CLICKPUMP"
CREATE TEMPORARY VIEW CLICKSTREAM AS
SELECT window_start, window_end, window_time AS ROWTIME, CAST(COUNT(*) AS DOUBLE) AS CLICKCOUNT
FROM TABLE(TUMBLE(TABLE SOURCE_SQL_STREAM_001, DESCRIPTOR(ROWTIME), INTERVAL '${Detection.window.seconds}' SECOND))
WHERE browseraction = 'Click'
GROUP BY window_start, window_end, window_time;

-- 2020: CREATE OR REPLACE STREAM "IMPRESSIONSTREAM" ("IMPRESSIONCOUNT" DOUBLE) + PUMP "IMPRESSIONPUMP"
CREATE TEMPORARY VIEW IMPRESSIONSTREAM AS
SELECT window_start, window_end, window_time AS ROWTIME, CAST(COUNT(*) AS DOUBLE) AS IMPRESSIONCOUNT
FROM TABLE(TUMBLE(TABLE SOURCE_SQL_STREAM_001, DESCRIPTOR(ROWTIME), INTERVAL '${Detection.window.seconds}' SECOND))
WHERE browseraction = 'Impression'
GROUP BY window_start, window_end, window_time;

-- 2020: CREATE OR REPLACE STREAM "CTRSTREAM" ("CTR" DOUBLE) + PUMP "CTRPUMP"
-- As in 2020, the join is inner: a window with clicks but no impressions has no rate (it would be
-- a division by zero) and yields no row, so it is neither scored nor alerted on.
CREATE TEMPORARY VIEW CTRSTREAM AS
SELECT CLICKCOUNT / IMPRESSIONCOUNT * 100.000 AS CTR,
       CLICKCOUNT, IMPRESSIONCOUNT, CLICKSTREAM.window_start, CLICKSTREAM.window_end, CLICKSTREAM.ROWTIME
FROM IMPRESSIONSTREAM, CLICKSTREAM
WHERE IMPRESSIONSTREAM.ROWTIME BETWEEN CLICKSTREAM.ROWTIME AND CLICKSTREAM.ROWTIME;

-- 2020: CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" ("CTRPERCENT" DOUBLE, "ANOMALY_SCORE" DOUBLE)
--       + PUMP "OUTPUT_PUMP" ... RANDOM_CUT_FOREST(CURSOR(SELECT STREAM "CTR" FROM "CTRSTREAM"), 100, 12, 100000, 1)
--
-- What is added, and why (docs/detection.md): a window is an anomaly when its score is above the
-- threshold AND its rate differs from the mean rate of the last sub.sample.size + 1 windows (itself
-- included) by at least min.ctr.change of that mean. A forest of 12 points that has seen only
-- 10-to-10 windows scores an 11-to-10 window near its ceiling; a 10 % change is not the lab's burst.
--
-- Every scored window is a row, and the rule is its column IS_ANOMALY (KDA's WHERE, kept here as a
-- verdict): the anomalies stream gets the rows where it is true, and the local lab's live view
-- every row with its verdict, so that no one else has to restate the rule (issue #27). The rule
-- comes last, after the forest: a change of threshold leaves the forest's state as it is
-- (docs/detection.md, "Updates and the forest").
CREATE TEMPORARY VIEW DESTINATION_SQL_STREAM AS
SELECT CTRPERCENT, ANOMALY_SCORE, SCORE_FRACTION, CTR_MEAN, CLICKCOUNT, IMPRESSIONCOUNT, window_start, window_end,
       ANOMALY_SCORE > ${Detection.anomaly.threshold}
         AND ABS(CTRPERCENT - CTR_MEAN) >= ${Detection.min.ctr.change} * CTR_MEAN AS IS_ANOMALY
FROM (
  SELECT CTRPERCENT, ANOMALY_SCORE,
         -- A forest of n samples cannot score above log2(n + 1) (3.70 for the lab's 12): the score
         -- as a share of that ceiling reads the same whatever the sample size.
         ANOMALY_SCORE / LOG2(${RandomCutForest.sub.sample.size} + 1) AS SCORE_FRACTION,
         CTR_MEAN, CLICKCOUNT, IMPRESSIONCOUNT, window_start, window_end
  FROM (
    -- Flink computes one OVER frame per step: the mean over its own, after the score.
    SELECT CTRPERCENT, ANOMALY_SCORE,
           AVG(CTRPERCENT) OVER (ORDER BY ROWTIME ROWS BETWEEN ${RandomCutForest.sub.sample.size} PRECEDING AND CURRENT ROW) AS CTR_MEAN,
           CLICKCOUNT, IMPRESSIONCOUNT, window_start, window_end
    FROM (
      SELECT CTR AS CTRPERCENT,
             RANDOM_CUT_FOREST(CTR, ${RandomCutForest.number.of.trees}, ${RandomCutForest.sub.sample.size}, ${RandomCutForest.time.decay}, ${RandomCutForest.shingle.size})
               OVER (ORDER BY ROWTIME ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ANOMALY_SCORE,
             CLICKCOUNT, IMPRESSIONCOUNT, window_start, window_end, ROWTIME
      FROM CTRSTREAM
    )
  )
);
