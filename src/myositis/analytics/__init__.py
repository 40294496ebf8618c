"""Registry analytics: the instruments over whole tables, written once with Narwhals so that the
same expressions run on polars (the embedded default) and on the other Narwhals back ends."""

from myositis.analytics.response import VISIT_COLUMNS, score_visits

__all__ = ["VISIT_COLUMNS", "score_visits"]
