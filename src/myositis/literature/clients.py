"""HTTP clients for PubMed E-utilities and the ClinicalTrials.gov API v2 (httpx).

httpx rather than Biopython's Entrez: one HTTP stack for both services, a process-wide rate
limiter and retry policy we control and can test with a fake clock, and no global module state
(Entrez keeps its e-mail, key and rate limit in module globals).

* One :class:`RateLimiter` per service for the whole process: E-utilities 3 requests/s without an
  API key and 10 with one; ClinicalTrials.gov 1 request/s. Retries take their turn through the
  limiter, so the limits hold after retries too.
* Retries with exponential backoff on 429, 5xx and dropped connections; ``Retry-After`` is
  honoured when given.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from myositis.errors import MyositisError

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CTGOV = "https://clinicaltrials.gov/api/v2"
SEARCH_CAP = 9_999  # ESearch returns at most this many ids per query
FETCH_BATCH = 200
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class SourceUnavailableError(MyositisError):
    """The service kept failing after every retry."""


class RateLimiter:
    """At most ``rate`` requests per second, shared by every thread of the process."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()
        self.calls: list[float] = []

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval
            self.calls.append(now)


def request(client: httpx.Client, limiter: RateLimiter, method: str, url: str,
            retries: int = 5, backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep,
            **kwargs: Any) -> httpx.Response:
    """One request through the limiter, retried on 429, 5xx and transport errors."""
    for attempt in range(retries + 1):
        limiter.wait()
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            if attempt == retries:
                raise SourceUnavailableError(f"{url}: {exc}") from exc
            sleep(backoff * 2 ** attempt)
            continue
        if response.status_code not in RETRY_STATUSES:
            response.raise_for_status()
            return response
        if attempt == retries:
            raise SourceUnavailableError(f"{url}: HTTP {response.status_code} after "
                                         f"{retries} retries")
        after = response.headers.get("retry-after", "")
        sleep(float(after) if after.replace(".", "", 1).isdigit() else backoff * 2 ** attempt)
    raise SourceUnavailableError(url)  # pragma: no cover


class PubMed:
    def __init__(self, client: httpx.Client, limiter: RateLimiter, base: str = EUTILS,
                 api_key: str | None = None, email: str | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client, self.limiter, self.base = client, limiter, base.rstrip("/")
        self.common = {k: v for k, v in (("api_key", api_key), ("email", email),
                                         ("tool", "myositis")) if v}
        self.sleep = sleep

    def search(self, term: str, start: dt.date, end: dt.date) -> list[str]:
        """PMIDs entered between ``start`` and ``end``; a window over the 9,999 cap is split."""
        params = {"db": "pubmed", "term": term, "datetype": "edat", "retmode": "json",
                  "mindate": start.strftime("%Y/%m/%d"), "maxdate": end.strftime("%Y/%m/%d"),
                  "retmax": str(SEARCH_CAP), **self.common}
        data = request(self.client, self.limiter, "GET", f"{self.base}/esearch.fcgi",
                       params=params, sleep=self.sleep).json()["esearchresult"]
        if int(data["count"]) > SEARCH_CAP and end > start:
            middle = start + (end - start) / 2
            return self.search(term, start, middle) + self.search(
                term, middle + dt.timedelta(days=1), end)
        return list(data.get("idlist", []))

    def fetch(self, pmids: list[str]) -> Iterator[bytes]:
        """EFetch XML in batches (POST, so long id lists fit)."""
        for i in range(0, len(pmids), FETCH_BATCH):
            yield request(self.client, self.limiter, "POST", f"{self.base}/efetch.fcgi",
                          data={"db": "pubmed", "id": ",".join(pmids[i:i + FETCH_BATCH]),
                                "retmode": "xml", **self.common}, sleep=self.sleep).content


class ClinicalTrials:
    def __init__(self, client: httpx.Client, limiter: RateLimiter, base: str = CTGOV,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client, self.limiter, self.base = client, limiter, base.rstrip("/")
        self.sleep = sleep

    def pages(self, condition: str, since: dt.date | None, page_token: str | None = None,
              intervention: str | None = None, page_size: int = 100
              ) -> Iterator[tuple[dict[str, Any], str | None]]:
        """Pages of ``/studies`` (with the token that fetched each), newest updates included by
        ``LastUpdatePostDate``."""
        token = page_token
        while True:
            params: dict[str, Any] = {"query.cond": condition, "format": "json",
                                      "pageSize": page_size}
            if intervention:
                params["query.intr"] = intervention
            if since:
                params["filter.advanced"] = (f"AREA[LastUpdatePostDate]RANGE["
                                             f"{since.isoformat()},MAX]")
            if token:
                params["pageToken"] = token
            data = request(self.client, self.limiter, "GET", f"{self.base}/studies",
                           params=params, sleep=self.sleep).json()
            yield data, token
            token = data.get("nextPageToken")
            if not token:
                return
