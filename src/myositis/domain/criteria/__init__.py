"""Criteria sets made for the subgroups the 2017 EULAR/ACR tree misses or mislabels.

Each module keeps the published rule as data beside a pure ``assess()`` that returns a
:class:`CriteriaResult`: met or not, the category, the items that counted, what was missing, and
how well the rule text itself was confirmed (``confirmed``), so an unconfirmed rule says so
wherever it is shown.
"""

from myositis.domain.criteria.result import CriteriaResult

__all__ = ["CriteriaResult"]
