"""The national company search API (recherche-entreprises.api.gouv.fr): a company by SIREN or name.

Behind `COMPANY_SEARCH_ENABLED` (off by default: nothing is fetched at run time unless a deployment
turns it on). The API allows 7 requests a second per client: every request waits its turn on one
limiter shared by the process's threads; an answer 429 is retried after its `Retry-After`; a slow
or broken answer ends in `CompanySearchError`, whose message is a sentence for the person.
Only the standard library (urllib): one GET with a query string needs no HTTP dependency.
"""

import email.utils
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .identifiers import compact
from .models import LegalForm

# Longer than this, a Retry-After is not waited for inside a web request: the person tries later.
LONGEST_WAIT = 10.0
RETRIES = 2
USER_AGENT = "observatoire-initiatives-cooperatives (directory form)"


class CompanySearchError(Exception):
    """The register could not answer; the message says why, for the person filling the form."""


class RateLimiter:
    """At most `rate` requests a second: each caller sleeps until its slot."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_slot = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.interval
        if slot > now:
            time.sleep(slot - now)

    def hold(self, seconds: float) -> None:
        """The server asked for a pause (429): nobody in this process asks before it ends."""
        with self.lock:
            self.next_slot = max(self.next_slot, time.monotonic() + seconds)


@dataclass
class Company:
    siren: str
    name: str
    acronym: str = ""
    siret: str = ""  # the head office's
    nature_juridique: str = ""  # INSEE's legal category code, e.g. 9220 (declared association)
    rna: str = ""
    commune_code: str = ""  # INSEE code of the head office's commune
    postcode: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    is_ess: bool = False

    @property
    def legal_form(self) -> str:
        return legal_form_of(self.nature_juridique)


# INSEE's legal categories (catégories juridiques) -> the directory's legal forms, for a suggestion.
SCOP_CODES = {"5458", "5558", "5658"}


def legal_form_of(code: str) -> str:
    code = (code or "").strip()
    if code.startswith("92"):
        return LegalForm.ASSOCIATION
    if code.startswith("93"):
        return LegalForm.FOUNDATION
    if code.startswith("82"):
        return LegalForm.MUTUAL
    if code in SCOP_CODES:
        return LegalForm.SCOP
    if code[:2] in {"54", "55", "56"} and "43" <= code[2:] <= "60":
        return LegalForm.COOPERATIVE
    if code.startswith("72"):
        return LegalForm.LOCAL_AUTHORITY
    if code.startswith("7"):
        return LegalForm.PUBLIC_BODY
    if code[:1] in {"5", "6"}:
        return LegalForm.COMPANY
    return ""


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _company(row: dict) -> Company:
    head = row.get("siege") or {}
    more = row.get("complements") or {}
    return Company(
        siren=str(row.get("siren") or ""),
        name=row.get("nom_raison_sociale") or row.get("nom_complet") or "",
        acronym=row.get("sigle") or "",
        siret=str(head.get("siret") or ""),
        nature_juridique=str(row.get("nature_juridique") or ""),
        rna=more.get("identifiant_association") or "",
        commune_code=str(head.get("commune") or ""),
        postcode=str(head.get("code_postal") or ""),
        address=head.get("adresse") or "",
        latitude=_float(head.get("latitude")),
        longitude=_float(head.get("longitude")),
        is_ess=bool(more.get("est_ess")),
    )


def _retry_after(value: str | None) -> float:
    """Seconds to wait: `Retry-After` is a number of seconds or an HTTP date."""
    if not value:
        return 1.0
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, when.timestamp() - time.time())


class Client:
    def __init__(self, base_url: str, *, timeout: float = 5.0, rate: float = 7.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.limiter = RateLimiter(rate)

    def _get(self, path: str, params: dict) -> dict:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        for attempt in range(RETRIES + 1):
            self.limiter.wait()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the configured https URL
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    raise CompanySearchError(
                        _("The company register answered with an error (HTTP %(code)s).")
                        % {"code": error.code}
                    ) from None
                wait = _retry_after(error.headers.get("Retry-After"))
                if attempt == RETRIES or wait > LONGEST_WAIT:
                    raise CompanySearchError(
                        _("The company register is busy; try again in %(seconds)d seconds.")
                        % {"seconds": max(1, round(wait))}
                    ) from None
                self.limiter.hold(wait)
            except (TimeoutError, urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
                    raise CompanySearchError(
                        _("The company register did not answer within %(seconds)s seconds.")
                        % {"seconds": self.timeout}
                    ) from None
                raise CompanySearchError(
                    _("The company register could not be reached (%(reason)s).")
                    % {"reason": reason}
                ) from None
            except (ValueError, UnicodeDecodeError):
                raise CompanySearchError(
                    _("The company register sent an answer that could not be read.")
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def search(self, query: str, *, per_page: int = 5) -> list[Company]:
        data = self._get("/search", {"q": query, "page": 1, "per_page": per_page})
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise CompanySearchError(
                _("The company register sent an answer that could not be read.")
            )
        return [_company(row) for row in results if isinstance(row, dict)]

    def by_siren(self, siren: str) -> Company | None:
        siren = compact(siren)
        return next((c for c in self.search(siren) if c.siren == siren), None)


_clients: dict = {}
_clients_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.COMPANY_SEARCH_ENABLED)


def client() -> Client:
    """The client for the configured URL, one per process: its limiter counts every request."""
    url = settings.COMPANY_SEARCH_URL
    with _clients_lock:
        if url not in _clients:
            _clients[url] = Client(
                url, timeout=settings.COMPANY_SEARCH_TIMEOUT, rate=settings.COMPANY_SEARCH_RATE
            )
        return _clients[url]


def lookup(siren: str) -> Company | None:
    """The company with this SIREN, or None; CompanySearchError when off or unreachable."""
    if not enabled():
        raise CompanySearchError(_("Searching the company register is not enabled on this site."))
    return client().by_siren(siren)


def _commune_label(code: str) -> str:
    """The territory input's label of the head office's commune ("Arras (62041, commune)")."""
    from territoires.lookup import label, resolve

    territory = resolve(f"commune:{code}").territory if code else None
    return label(territory) if territory is not None else ""


def fill(values: dict, company: Company) -> dict:
    """The organisation form's values with the register's where the form has none.

    What staff typed wins, except the legal form, which a select always has: the register's,
    when it maps to one of ours, replaces it.
    """
    found = {
        "name": company.name,
        "acronym": company.acronym,
        "siren": company.siren,
        "siret": company.siret,
        "rna": company.rna,
        "territory": _commune_label(company.commune_code),
    }
    filled = dict(values)
    for name, value in found.items():
        if value and not str(filled.get(name) or "").strip():
            filled[name] = value
    if company.legal_form:
        filled["legal_form"] = company.legal_form
    return filled
