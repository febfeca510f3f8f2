"""Structured Streaming: windowed totals with a watermark, checkpointed, restartable without loss.

The plan's question: "write a PySpark job that reads streaming data from Kafka and stores
aggregated results in HDFS". Interviewers listen for event time vs processing time, a watermark
that bounds the state and decides when a window is final, a checkpoint location that makes a
restart resume exactly where it stopped, and a sink that commits each micro-batch once.

Here the source is a folder of JSON-lines files (no Kafka connector jar is reachable) and the sink
is parquet in a folder (HDFS or S3 in production). In production the only change is the reader:

    events = (spark.readStream.format("kafka")
              .option("kafka.bootstrap.servers", "broker1:9092,broker2:9092")
              .option("subscribe", "events")                  # or subscribePattern / assign
              .option("startingOffsets", "earliest")          # only for the FIRST run: later runs
              .option("maxOffsetsPerTrigger", 100_000)        #   resume from the checkpoint
              .option("failOnDataLoss", "true")
              .option("kafka.security.protocol", "SASL_SSL")  # plus the SASL settings of the cluster
              .load()
              .select(F.from_json(F.col("value").cast("string"), EVENT_SCHEMA).alias("e"))
              .select("e.*"))

Each event is a JSON object {"user": "ann", "event_time": "2026-12-01T10:01:00Z", "amount": 1.0}.

    windowed_totals(events, "10 minutes", "10 minutes")
        window_start         window_end           user  events  amount
        2026-12-01 10:00:00  2026-12-01 10:10:00  ann   1       1.0
        2026-12-01 10:00:00  2026-12-01 10:10:00  bob   1       2.0

    run_available(spark, source, output, checkpoint)  -> 4   (rows read in this run)
      folder a.json: ann 10:01, bob 10:05, ann 10:12, ann 10:31
      output now: 10:00-10:10 ann and bob, 10:10-10:20 ann   (watermark 10:31 - 10 min = 10:21:
      windows that end by then are final; 10:30-10:40 waits in the state, saved in the checkpoint)

Requirements
- `windowed_totals(events, window, watermark)`: works on a streaming or a static DataFrame with the
  columns of EVENT_SCHEMA. Declare the watermark on event_time with the `watermark` delay, group by
  a TUMBLING window of `window` on event_time and by user, and return the columns window_start,
  window_end (TIMESTAMP, from the window struct), user, events (BIGINT, the number of events),
  amount (DOUBLE, their sum). An event exactly at a window's end belongs to the next window.
- `run_available(spark, source_dir, output_dir, checkpoint_dir, window, watermark)`: one run of the
  streaming job, then stop: read the JSON files in source_dir with EVENT_SCHEMA (a streaming file
  source needs the schema up front), aggregate with windowed_totals, and write in append mode to
  parquet files in output_dir with checkpointLocation checkpoint_dir and
  trigger(availableNow=True): it processes every file not yet processed, in one or more
  micro-batches, and stops. Wait for it to end; return the number of input rows it read (the sum
  of numInputRows over the query's recentProgress).
- Run again later with the same folders (a restart): only the new files are read; windows that
  were still open continue from the saved state; every final window appears in the output exactly
  once; an event older than the watermark of its micro-batch whose window was already emitted is
  dropped (it would otherwise change a final result).
"""
from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

EVENT_SCHEMA = "user STRING, event_time TIMESTAMP, amount DOUBLE"


def windowed_totals(events: DataFrame, window: str, watermark: str) -> DataFrame:
    """Events and amount per user and tumbling event-time window, final once the watermark passes."""
    return (events
            .withWatermark("event_time", watermark)
            .groupBy(F.window("event_time", window), "user")
            .agg(F.count(F.lit(1)).alias("events"), F.sum("amount").alias("amount"))
            .select(F.col("window.start").alias("window_start"), F.col("window.end").alias("window_end"),
                    "user", "events", "amount"))


def run_available(spark: SparkSession, source_dir: str, output_dir: str, checkpoint_dir: str,
                  window: str = "10 minutes", watermark: str = "10 minutes") -> int:
    """Process every new file once, append the final windows to parquet, stop; rows read."""
    events = spark.readStream.schema(EVENT_SCHEMA).json(source_dir)
    query = (windowed_totals(events, window, watermark).writeStream
             .format("parquet")
             .outputMode("append")
             .option("checkpointLocation", checkpoint_dir)
             .trigger(availableNow=True)
             .start(output_dir))
    query.awaitTermination()
    return sum(progress["numInputRows"] for progress in query.recentProgress)


# Why
# - Event time, not arrival time: windows are cut on event_time, so a replay or a slow producer
#   gives the same answer. The watermark (max event time seen minus the delay) says how late an
#   event may be: state for older windows is dropped, and in append mode a window is written once,
#   when the watermark passes its end. Without a watermark, append mode refuses an aggregation
#   (its state would grow forever and no window would ever be final).
# - The checkpoint location holds the source offsets (here: which files were read; with Kafka the
#   offsets per partition), the commit log and the aggregation state. A restart with the same
#   location resumes after the last committed batch with the open windows intact. A new location
#   is a new query: the file source reads everything again, and the file sink, which keeps its own
#   log of committed batch ids in output/_spark_metadata, silently skips the "old" batch ids.
# - Exactly-once end to end = a replayable source (offsets) + deterministic processing + an
#   idempotent or transactional sink (the file sink's metadata log; foreachBatch with a MERGE keyed
#   on batch_id for a database). Readers must read the output through that log (spark.read.parquet
#   of the folder does), or they see files of batches that never committed.
# - trigger(availableNow=True) processes everything present and stops: a streaming job run like a
#   batch job (hourly from a scheduler), with the same checkpoint semantics; tests stay
#   deterministic with no sleeps. In production the trigger is processingTime or the default.
