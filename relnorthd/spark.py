"""The Spark engine (issue 20): the same SQL files on Spark SQL.

`SparkConnection` is the part of a DuckDB connection batch.py uses:
`register` an Arrow table, `execute` a statement, `sql(query)` for a
relation to read. The statements are our DuckDB SQL (keyed by NB,
nbkeyed.py); each is printed as Spark SQL by portable.to_dialect (macros
expanded, sparksql.py rewrites) and run on the session, so there is one
source of every rule and relation. A table a
statement creates is computed once (checkpointed) and named as a temp
view, so later plans start from its rows rather than its lineage.

pyspark is optional (`pip install 'relnorthd[spark]'`) and Spark needs a
Java runtime.
"""
from __future__ import annotations

import functools
import os

import pyarrow as pa

from . import portable
from .dependencies import split_statement

DEFAULT_MASTER = "local[*]"


class SparkError(RuntimeError):
    """Spark is not installed, or cannot start."""


def session(master: str | None = None):
    """The Spark session relnorthd runs on: `master`, else $SPARK_MASTER
    (or what spark-submit set), else local[*]."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkError("the Spark engine needs pyspark: pip install 'relnorthd[spark]'") \
            from None
    builder = SparkSession.builder.appName("relnorthd")
    master = master or os.environ.get("SPARK_MASTER")
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_HOME") and "spark.master" not in os.environ.get(
            "PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master(DEFAULT_MASTER)
    builder = (builder.config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    try:
        spark = builder.getOrCreate()
    except Exception as e:      # noqa: BLE001 -- no Java, a bad master URL: one line
        raise SparkError(f"cannot start Spark: {str(e).strip().splitlines()[-1]}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkRelation:
    """A query's result on Spark, read the ways the runners read DuckDB's."""

    def __init__(self, frame):
        self.frame = frame

    @property
    def columns(self) -> list[str]:
        return self.frame.columns

    def to_arrow_table(self) -> pa.Table:
        return self.frame.toArrow()

    def fetchall(self) -> list[tuple]:
        return [tuple(row) for row in self.frame.collect()]


class SparkConnection:
    """DuckDB-SQL statements run on a Spark session."""

    def __init__(self, spark):
        self.spark = spark
        self.views: set[str] = set()

    def register(self, name: str, table: pa.Table) -> None:
        frame = self.spark.createDataFrame(_plain(table).combine_chunks()) if table.num_rows else (
            self.spark.createDataFrame([], _spark_schema(table.schema)))
        frame.createOrReplaceTempView(name)
        self.views.add(name)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self.views.discard(name)

    def sql(self, query: str) -> SparkRelation:
        return SparkRelation(self.spark.sql(spark_sql(query)))

    def execute(self, statement: str, parameters=None) -> None:
        """A lib or grouping statement: CREATE TABLE / VIEW ... AS, INSERT
        INTO; macros are expanded where they are called, so their
        definitions are skipped."""
        if parameters is not None:
            raise NotImplementedError("statement parameters on Spark")
        kind, name, query = split_statement(statement)
        if kind == "macro":
            return
        if kind == "set":
            raise portable.PortableError(f"SET VARIABLE {name}: variables are relations "
                                         "on Spark (batch.KeyedConnection)")
        frame = self.spark.sql(spark_sql(query))
        if kind == "insert":
            frame = self.spark.table(name).unionByName(frame)
        if kind != "view":
            frame = self._materialized(frame)
        frame.createOrReplaceTempView(name)
        self.views.add(name)

    def _materialized(self, frame):
        """`frame` computed once (checkpointed: later plans start from its
        rows, not its lineage) and read back as plain rows (the checkpoint
        keeps its plan's partitioning, whose attributes Spark 4 then fails
        to find, "key not found", when a later union renames them)."""
        from pyspark.sql import DataFrame
        checkpoint = frame.localCheckpoint()._jdf
        return DataFrame(self.spark._jsparkSession.createDataFrame(
            checkpoint.rdd(), checkpoint.schema()), self.spark)

    def write_parquet(self, view: str, dest: str, first: str, order: list[str]) -> None:
        """Relation `view` written by Spark as a Parquet dataset (a folder of
        part files) at `dest`, column `first` first, each part's rows sorted
        by `first` and then `order` (column names, "name DESC" descending)."""
        from pyspark.sql.functions import col
        frame = self.spark.table(view)
        frame = frame.select(first, *(c for c in frame.columns if c != first))
        keys = [col(o.split()[0]).desc() if o.upper().endswith(" DESC") else col(o)
                for o in order]
        frame.repartition(first).sortWithinPartitions(first, *keys) \
            .write.mode("overwrite").parquet(dest)

    def close(self) -> None:
        for name in list(self.views):
            self.unregister(name)


@functools.lru_cache(maxsize=4096)
def spark_sql(query: str) -> str:
    """A DuckDB query of ours as Spark SQL."""
    return portable.to_dialect(query, "spark")


def _plain(table: pa.Table) -> pa.Table:
    """`table` with types Spark reads from Arrow: dictionaries decoded."""
    return table.cast(pa.schema([_plain_field(f) for f in table.schema]))


def _plain_field(field: pa.Field) -> pa.Field:
    kind = field.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return field.with_type(kind)


def _spark_schema(schema: pa.Schema):
    from pyspark.sql.pandas.types import from_arrow_schema
    return from_arrow_schema(pa.schema([_plain_field(f) for f in schema]))
