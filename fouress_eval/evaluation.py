"""An evaluation as a configuration: ``evaluations/<name>.yml``, its validation and loading.

One YAML file describes one project: ``name`` (= the file name), ``title``, ``owner``,
``funder`` (optional), ``sites`` (``{municipality: code or name, health_centres: [...]}`` or
``{county: code or name}``), ``period: {start, end}`` (dates), ``baseline`` (month),
``follow_up: {start, end}`` (months whose mean is set against the baseline month),
``interruptions`` (``{name, start, end?, kind?}`` months; kind ``intervention`` (default),
``phase`` or ``external`` such as COVID-19), ``comparison`` (``same_county``, ``other_counties``
or a list of municipalities/counties), ``target_group`` (text), ``outcomes`` (``{name, source,
series?, measure, unit, rolling_12m, level}``), ``targets`` (``participants: {total, K, M, date,
source}`` and ``goals`` ``{name, value, date, unit, outcome?, description, source}``),
``reported`` (published figures ``{name, value, unit, date?, description, source}``),
``published_aggregates`` (a report's totals and parts ``{label, kind: count|share, total?, parts}``
that :func:`~fouress_eval.metrics.consistency.check_published` checks),
``interviews`` (``corpus`` folder, ``codebook``, ``roles``), ``report`` (``language``,
``min_count``, ``min_employees``) and ``data`` (``raw_dir``, ``processed_dir``, ``data_cutoff``). :func:`skeleton` returns the same schema as a commented file to fill in;
``evaluations/README.md`` states the rules. Every error is an :class:`InputError` naming the file,
the key path (``sites[2].municipality``), its line, the value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .config import Settings, find_project_root
from .errors import InputError
from .metrics.targets import INDICATORS
from .municipalities import counties, county_code, fold, municipalities, municipality_code

__all__ = ["Evaluation", "Site", "Interruption", "Outcome", "Goal", "Targets", "Reported", "load_evaluation",
           "list_evaluations", "skeleton", "SOURCES", "LEVELS", "KINDS"]

SOURCES = ("personnel_hours", "sickpay", "kolada", "clinic")
LEVELS = ("municipality", "county", "health_centre")
KINDS = ("intervention", "phase", "external")
COMPARISONS = ("same_county", "other_counties")
_TOP = ("name", "title", "owner", "funder", "sites", "period", "baseline", "follow_up", "interruptions", "comparison",
        "target_group", "outcomes", "targets", "reported", "published_aggregates", "interviews", "report", "data")
_REQUIRED = ("name", "title", "owner", "sites", "period", "baseline", "interruptions", "target_group")


@dataclass(frozen=True)
class Site:
    """A project site: ``level`` ``municipality`` (4-digit ``code``) or ``county`` (2-digit)."""
    level: str
    code: str
    health_centres: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interruption:
    """An interruption of the time series; ``end`` None means it lasts to the end of the series."""
    name: str
    start: pd.Period
    end: pd.Period | None = None
    kind: str = "intervention"


@dataclass(frozen=True)
class Outcome:
    """An outcome series an ITS uses, with its ``source`` and the ``levels`` it is followed at."""
    name: str
    source: str
    measure: str
    unit: str
    rolling_12m: bool = False
    levels: tuple[str, ...] = ("municipality",)
    series: str | None = None  # the measure in the source table (sickpay: "sjukpenningtal"; clinic: "F+M")


@dataclass(frozen=True)
class Goal:
    """A goal ``value`` (in ``unit``) to reach by ``date``."""
    name: str
    value: float
    unit: str
    date: pd.Timestamp
    description: str | None = None
    source: str | None = None
    outcome: str | None = None  # the outcome series the goal is measured on, if any


@dataclass(frozen=True)
class Reported:
    """A figure the project published (reach, cases handled …): ``value`` in ``unit``, as of ``date``."""
    name: str
    value: float
    unit: str
    date: pd.Timestamp | None = None
    description: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Targets:
    """Planned participants (total and by sex, K women, M men) and named goals."""
    participants: int | None = None
    participants_women: int | None = None
    participants_men: int | None = None
    participants_date: pd.Timestamp | None = None
    participants_source: str | None = None
    goals: tuple[Goal, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """One evaluation's parsed, normalised configuration (see the module docstring)."""
    name: str
    title: str
    owner: str
    funder: str | None
    sites: tuple[Site, ...]
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    baseline: pd.Period
    interruptions: tuple[Interruption, ...]
    comparison: str | tuple[Site, ...]
    target_group: str
    outcomes: tuple[Outcome, ...] = ()
    targets: Targets = Targets()
    codebook: str | None = None
    roles: tuple[str, ...] = ()
    language: str = "sv"
    min_count: int = 5
    min_employees: int = 10
    raw_dir: str = ""
    data_cutoff: pd.Timestamp | None = None
    follow_up: tuple[pd.Period, pd.Period] | None = None
    reported: tuple[Reported, ...] = ()
    corpus: str | None = None
    processed_dir: str = ""
    published_aggregates: tuple[tuple[str, str, float | None, dict], ...] = ()
    source: Path | None = field(default=None, compare=False)
    root: Path | None = field(default=None, compare=False)

    @property
    def municipalities(self) -> tuple[str, ...]:
        """The codes of the municipality sites, in file order."""
        return tuple(s.code for s in self.sites if s.level == "municipality")

    @property
    def site_codes(self) -> tuple[str, ...]:
        """The codes of every site (4-digit municipalities, 2-digit counties), in file order."""
        return tuple(s.code for s in self.sites)

    def comparison_units(self) -> tuple[Site, ...]:
        """The comparison units: ``same_county`` = the other municipalities of the municipality sites'
        counties; ``other_counties`` = every county that holds no site; else the listed units."""
        if not isinstance(self.comparison, str):
            return self.comparison
        own = set(self.site_codes)
        if self.comparison == "other_counties":
            taken = {c[:2] for c in own}
            return tuple(Site("county", c) for c in counties()["county_code"] if c not in taken)
        counties_of = {c[:2] for c in self.municipalities}
        table = municipalities()
        return tuple(Site("municipality", c) for c, k in zip(table["municipality_code"], table["county_code"])
                     if k in counties_of and c not in own)

    def outcome(self, name: str | None = None) -> Outcome | None:
        """The outcome called ``name`` (None: the first one; None when there are none)."""
        if not name:
            return self.outcomes[0] if self.outcomes else None
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        raise InputError("no such outcome in the evaluation", file=self.source, value=name,
                         expected="one of " + (", ".join(o.name for o in self.outcomes) or "none (outcomes: [])"))

    def indicator_targets(self) -> dict[str, float]:
        """Planned participants and goals named after :data:`INDICATORS`, as ``targets_vs_outcomes`` takes."""
        t = self.targets
        flat = {k: getattr(t, k) for k in ("participants", "participants_women", "participants_men")}
        flat.update({g.name: g.value for g in t.goals if g.name in INDICATORS})
        return {k: float(v) for k, v in flat.items() if v is not None}

    def settings(self, **overrides: Any) -> Settings:
        """The frozen :class:`Settings` this evaluation implies, with ``overrides`` applied.

        ``interventions`` are the start months of the non-external interruptions (phases included);
        intervention start/end come from the earliest of them (its end, or the period's last month);
        ``covid_start`` from an external interruption whose name contains "covid" (the Settings
        default otherwise); folders are resolved against the project root: raw ``data.raw_dir``,
        processed ``data.processed_dir``, reports ``reports/<name>``, interviews ``interviews.corpus``.
        """
        project = [i for i in self.interruptions if i.kind != "external"]
        first = min(project, key=lambda i: i.start)
        root = Path(self.root or find_project_root())
        values: dict[str, Any] = dict(
            project_root=root, name=self.name, title=self.title, raw_dir=root / self.raw_dir,
            processed_dir=root / (self.processed_dir or f"data_processed/{self.name}"),
            reports_dir=root / "reports" / self.name, qual_dir=None if self.corpus is None else root / self.corpus,
            sites=self.site_codes, comparison=tuple(u.code for u in self.comparison_units()),
            baseline=self.baseline, follow_up=self.follow_up,
            interventions=tuple(sorted(dict.fromkeys(i.start for i in project))), intervention_start=first.start,
            intervention_end=self.period_end.to_period("M") if first.end is None else first.end,
            data_cutoff=self.data_cutoff, min_count=self.min_count, min_employees=self.min_employees,
            language=self.language, evaluation=self)
        covid = [i.start for i in self.interruptions if i.kind == "external" and "covid" in fold(i.name)]
        if covid:
            values["covid_start"] = covid[0]
        return Settings(**{**values, **overrides})

    def to_dict(self) -> dict[str, Any]:
        """The configuration as plain YAML-ready data; loading it again gives an equal Evaluation."""
        def site(s: Site) -> dict:
            return {s.level: s.code, **({"health_centres": list(s.health_centres)} if s.health_centres else {})}
        def day(ts: pd.Timestamp | None) -> str | None:
            return None if ts is None else ts.strftime("%Y-%m-%d")
        def clean(d: dict) -> dict:
            return {k: v for k, v in d.items() if v is not None}
        t = self.targets
        participants = clean({"total": t.participants, "K": t.participants_women, "M": t.participants_men,
                              "date": day(t.participants_date), "source": t.participants_source})
        return clean({
            "name": self.name, "title": self.title, "owner": self.owner, "funder": self.funder,
            "sites": [site(s) for s in self.sites],
            "period": {"start": day(self.period_start), "end": day(self.period_end)},
            "baseline": str(self.baseline),
            "follow_up": None if self.follow_up is None else {"start": str(self.follow_up[0]), "end": str(self.follow_up[1])},
            "interruptions": [clean({"name": i.name, "start": str(i.start), "end": None if i.end is None else str(i.end),
                                     "kind": i.kind}) for i in self.interruptions],
            "comparison": self.comparison if isinstance(self.comparison, str) else [site(s) for s in self.comparison],
            "target_group": self.target_group,
            "outcomes": [clean({"name": o.name, "source": o.source, "series": o.series, "measure": o.measure,
                                "unit": o.unit, "rolling_12m": o.rolling_12m, "level": list(o.levels)})
                         for o in self.outcomes],
            "targets": {**({"participants": participants} if participants else {}),
                        "goals": [clean({"name": g.name, "value": g.value, "unit": g.unit, "date": day(g.date),
                                         "outcome": g.outcome, "description": g.description, "source": g.source})
                                  for g in t.goals]},
            "reported": [clean({"name": r.name, "value": r.value, "unit": r.unit, "date": day(r.date),
                                "description": r.description, "source": r.source}) for r in self.reported] or None,
            "published_aggregates": [clean({"label": lab, "kind": kind, "total": total, "parts": dict(parts)})
                                     for lab, kind, total, parts in self.published_aggregates] or None,
            "interviews": clean({"corpus": self.corpus, "codebook": self.codebook, "roles": list(self.roles)}),
            "report": {"language": self.language, "min_count": self.min_count, "min_employees": self.min_employees},
            "data": clean({"raw_dir": self.raw_dir,
                           "processed_dir": None if self.processed_dir in ("", f"data_processed/{self.name}")
                           else self.processed_dir, "data_cutoff": day(self.data_cutoff)})})


class _Loader(yaml.SafeLoader):
    """Safe YAML, except that ``0834`` or ``08`` stays a string (YAML 1.1 would read 0125 as octal 85)."""


_Loader.yaml_implicit_resolvers = {k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:int"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"),
                              list("-+0123456789"))


class _Check:
    """Typed reads of YAML values that raise located :class:`InputError`."""

    def __init__(self, file: Path | None, lines: dict[str, int]):
        self.file, self.lines = file, lines

    def fail(self, path: str, message: str, value: Any = None, expected: str | None = None) -> InputError:
        probe = path
        while probe and probe not in self.lines:
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe) if re.search(r"[.\[]", probe) else ""
        line = f" (line {self.lines[probe]})" if probe in self.lines else ""
        return InputError(f"key '{path}'{line}: {message}", file=self.file, value=value, expected=expected)

    def mapping(self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = (),
                expected: str = "") -> dict:
        allowed = required + optional
        if not isinstance(value, dict):
            raise self.fail(path, "must be a mapping of 'key: value' lines", type(value).__name__,
                            "the keys " + ", ".join(allowed))
        for key in value:
            if key not in allowed:
                near = difflib.get_close_matches(str(key).lower(), [a.lower() for a in allowed], 1, 0.6)
                mean = f" (did you mean '{allowed[[a.lower() for a in allowed].index(near[0])]}'?)" if near else ""
                raise self.fail(_join(path, key), f"unknown key{mean}", key, expected or "one of " + ", ".join(allowed))
        for key in required:
            if value.get(key) is None:
                raise self.fail(_join(path, key), "is missing", None, "a value: this key is required")
        return value

    def items(self, value: Any, path: str, minimum: int = 0) -> list:
        if value is None:
            value = []
        if not isinstance(value, list) or len(value) < minimum:
            raise self.fail(path, "must be a list ('- ' lines)", value, f"a list of at least {minimum} item(s)")
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(path, "must be text", value, "a non-empty text")
        if re.fullmatch(r"\s*<.*>\s*", str(value), re.S):
            raise self.fail(path, "is still the skeleton's placeholder", value, "your own value")
        return str(value).strip()

    def choice(self, value: Any, path: str, options: tuple[str, ...]) -> str:
        if value not in options:
            raise self.fail(path, "is not an allowed value", value, "one of " + ", ".join(options))
        return value

    def number(self, value: Any, path: str, whole: bool = False, minimum: float | None = None) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or (whole and value != int(value)) or (minimum is not None and value < minimum):
            raise self.fail(path, "is out of range" if ok else "must be a number", value,
                            ("a whole number" if whole else "a number")
                            + (f" of at least {minimum:g}" if minimum is not None else "")
                            + " (decimal point, no unit)")
        return int(value) if whole else float(value)

    def month(self, value: Any, path: str) -> pd.Period:
        if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value)):
            try:
                return pd.Timestamp(value).to_period("M")
            except ValueError:
                pass
        raise self.fail(path, "is not a month", value, "a month written YYYY-MM, e.g. 2018-05")

    def date(self, value: Any, path: str) -> pd.Timestamp:
        if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            try:
                return pd.Timestamp(value).normalize()
            except ValueError:
                pass
        raise self.fail(path, "is not a date", value, "a date written YYYY-MM-DD, e.g. 2018-05-01")

    def site(self, value: Any, path: str, centres: bool = True) -> Site:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and not centres:
            value = {"municipality": value}
        d = self.mapping(value, path, (), ("municipality", "county") + (("health_centres",) if centres else ()))
        levels = [k for k in ("municipality", "county") if k in d]
        if len(levels) != 1:
            raise self.fail(path, "needs exactly one of 'municipality' or 'county'", value,
                            "e.g. {municipality: Skurup} or {county: Uppsala}")
        self.text(d[levels[0]], f"{path}.{levels[0]}")  # a placeholder left unfilled says so
        try:
            code = (municipality_code if levels[0] == "municipality" else county_code)(d[levels[0]])
        except InputError as error:
            raise self.fail(f"{path}.{levels[0]}", error.message, d[levels[0]], error.expected) from None
        names = self.items(d.get("health_centres"), f"{path}.health_centres")
        return Site(levels[0], code, tuple(self.text(n, f"{path}.health_centres[{i}]") for i, n in enumerate(names)))

    def unique(self, names: list, path: str, what: str) -> None:
        for i, name in enumerate(names):
            if name in names[:i]:
                raise self.fail(f"{path}[{i}]", f"repeats {what}", name, f"each {what} once")


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _parse(data: Any, check: _Check) -> Evaluation:
    c = check
    d = c.mapping(data, "", _REQUIRED, tuple(k for k in _TOP if k not in _REQUIRED))
    name = c.text(d["name"], "name")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or (c.file is not None and name != c.file.stem):
        raise c.fail("name", "is not the file's name", name,
                     f"'{c.file.stem if c.file else name}': lower-case letters, digits and _, as in the file name")
    sites = tuple(c.site(s, f"sites[{i}]") for i, s in enumerate(c.items(d["sites"], "sites", 1)))
    c.unique([f"{s.level} {s.code}" for s in sites], "sites", "site")
    p = c.mapping(d["period"], "period", ("start", "end"))
    start, end = c.date(p["start"], "period.start"), c.date(p["end"], "period.end")
    if end < start:
        raise c.fail("period.end", "is before period.start", str(end.date()), f"a date after {start.date()}")
    first_month, last_month = start.to_period("M"), end.to_period("M")
    stops = []
    for i, raw in enumerate(c.items(d["interruptions"], "interruptions", 1)):
        path, r = f"interruptions[{i}]", c.mapping(raw, f"interruptions[{i}]", ("name", "start"), ("end", "kind"))
        stop = Interruption(c.text(r["name"], f"{path}.name"), c.month(r["start"], f"{path}.start"),
                            None if r.get("end") is None else c.month(r["end"], f"{path}.end"),
                            c.choice(r.get("kind", "intervention"), f"{path}.kind", KINDS))
        if stop.end is not None and stop.end < stop.start:
            raise c.fail(f"{path}.end", "is before its start", str(stop.end), f"a month from {stop.start} on")
        for key, month in (("start", stop.start), ("end", stop.end)):
            if stop.kind != "external" and month is not None and not first_month <= month <= last_month:
                raise c.fail(f"{path}.{key}", "lies outside the period", str(month),
                             f"a month from {first_month} to {last_month} (kind: external for outside events)")
        stops.append(stop)
    c.unique([s.name for s in stops], "interruptions", "interruption name")
    if all(s.kind == "external" for s in stops):
        raise c.fail("interruptions", "has no project interruption", None, "at least one that is not kind: external")
    baseline, earliest = c.month(d["baseline"], "baseline"), min(stops, key=lambda s: s.start)
    if baseline >= earliest.start:
        raise c.fail("baseline", "is not before the first interruption", str(baseline),
                     f"a month before {earliest.start} ({earliest.name})")
    follow_up = None
    if d.get("follow_up") is not None:
        f = c.mapping(d["follow_up"], "follow_up", ("start", "end"))
        follow_up = (c.month(f["start"], "follow_up.start"), c.month(f["end"], "follow_up.end"))
        if follow_up[1] < follow_up[0]:
            raise c.fail("follow_up.end", "is before follow_up.start", str(follow_up[1]), f"a month from {follow_up[0]} on")
        if follow_up[0] <= baseline:
            raise c.fail("follow_up.start", "is not after the baseline", str(follow_up[0]), f"a month after {baseline}")
    default_comparison = "same_county" if any(s.level == "municipality" for s in sites) else "other_counties"
    comparison = d.get("comparison", default_comparison)
    if comparison == "same_county" and not any(s.level == "municipality" for s in sites):
        raise c.fail("comparison", "needs municipality sites", comparison,
                     "other_counties (or a list) for an evaluation whose sites are counties")
    if comparison not in COMPARISONS:
        if not isinstance(comparison, list):
            raise c.fail("comparison", "is not an allowed value", comparison,
                         "same_county, other_counties or a list of municipalities/counties")
        comparison = tuple(c.site(u, f"comparison[{i}]", centres=False) for i, u in enumerate(comparison))
    outcomes = []
    for i, raw in enumerate(c.items(d.get("outcomes"), "outcomes")):
        path, o = f"outcomes[{i}]", c.mapping(raw, f"outcomes[{i}]", ("name", "source", "measure", "unit"),
                                              ("series", "rolling_12m", "level"))
        rolling = o.get("rolling_12m", False)
        if not isinstance(rolling, bool):
            raise c.fail(f"{path}.rolling_12m", "must be true or false", rolling, "true or false")
        levels = o.get("level", "municipality")
        levels = levels if isinstance(levels, list) and levels else [levels]
        outcomes.append(Outcome(c.text(o["name"], f"{path}.name"), c.choice(o["source"], f"{path}.source", SOURCES),
                                c.text(o["measure"], f"{path}.measure"), c.text(o["unit"], f"{path}.unit"), rolling,
                                tuple(c.choice(v, f"{path}.level", LEVELS) for v in levels),
                                None if o.get("series") is None else c.text(o["series"], f"{path}.series")))
    c.unique([o.name for o in outcomes], "outcomes", "outcome name")
    t = c.mapping(d.get("targets") or {}, "targets", (), ("participants", "goals"))
    pp = c.mapping(t.get("participants") or {}, "targets.participants", (), ("total", "K", "M", "date", "source"),
                   expected="a sex K (women) or M (men), or total, date or source")
    count = {k: None if pp.get(k) is None else c.number(pp[k], f"targets.participants.{k}", True, 0)
             for k in ("total", "K", "M")}
    if count["total"] is None and None not in (count["K"], count["M"]):
        count["total"] = count["K"] + count["M"]
    parts = sum(v or 0 for v in (count["K"], count["M"]))
    if count["total"] is not None and (parts > count["total"] or (None not in count.values() and parts != count["total"])):
        raise c.fail("targets.participants.total", "does not match K + M", count["total"], f"K + M = {parts}")
    goals = []
    for i, raw in enumerate(c.items(t.get("goals"), "targets.goals")):
        path, g = f"targets.goals[{i}]", c.mapping(raw, f"targets.goals[{i}]", ("name", "value", "date"),
                                                   ("unit", "outcome", "description", "source"))
        gname, known = c.text(g["name"], f"{path}.name"), INDICATORS.get(str(g["name"]))
        if gname.startswith("participants"):
            raise c.fail(f"{path}.name", "is a participant count", gname, "planned participants under targets.participants")
        if known is None and g.get("unit") is None:
            raise c.fail(f"{path}.unit", "is missing", None, "a unit for a goal that is not one of " + ", ".join(INDICATORS))
        unit = known.unit if known and g.get("unit") is None else c.text(g["unit"], f"{path}.unit")
        if known and unit != known.unit:
            raise c.fail(f"{path}.unit", "is not the indicator's unit", unit, repr(known.unit))
        value = c.number(g["value"], f"{path}.value")
        if known and not (0 < value <= (100 if known.percent else math.inf)):
            raise c.fail(f"{path}.value", "is out of range", value, "above 0" + (" and at most 100" if known.percent else ""))
        linked = None if g.get("outcome") is None else c.choice(g["outcome"], f"{path}.outcome",
                                                                 tuple(o.name for o in outcomes))
        goals.append(Goal(gname, value, unit, c.date(g["date"], f"{path}.date"),
                          *(None if g.get(k) is None else c.text(g[k], f"{path}.{k}") for k in ("description", "source")),
                          linked))
    c.unique([g.name for g in goals], "targets.goals", "goal name")
    reported = []
    for i, raw in enumerate(c.items(d.get("reported"), "reported")):
        path, r = f"reported[{i}]", c.mapping(raw, f"reported[{i}]", ("name", "value", "unit"),
                                              ("date", "description", "source"))
        reported.append(Reported(c.text(r["name"], f"{path}.name"), c.number(r["value"], f"{path}.value"),
                                 c.text(r["unit"], f"{path}.unit"),
                                 None if r.get("date") is None else c.date(r["date"], f"{path}.date"),
                                 *(None if r.get(k) is None else c.text(r[k], f"{path}.{k}")
                                   for k in ("description", "source"))))
    c.unique([r.name for r in reported], "reported", "figure name")
    aggregates = []
    for i, raw in enumerate(c.items(d.get("published_aggregates"), "published_aggregates")):
        path, a = f"published_aggregates[{i}]", c.mapping(raw, f"published_aggregates[{i}]", ("label", "kind", "parts"),
                                                          ("total",))
        parts = c.mapping(a["parts"], f"{path}.parts", (), tuple(map(str, a["parts"])) if isinstance(a["parts"], dict) else ())
        aggregates.append((c.text(a["label"], f"{path}.label"), c.choice(a["kind"], f"{path}.kind", ("count", "share")),
                           None if a.get("total") is None else c.number(a["total"], f"{path}.total", minimum=0),
                           {str(k): c.number(v, f"{path}.parts.{k}", minimum=0) for k, v in parts.items()}))
    iv = c.mapping(d.get("interviews") or {}, "interviews", (), ("corpus", "codebook", "roles"))
    roles = tuple(c.text(r, f"interviews.roles[{i}]") for i, r in enumerate(c.items(iv.get("roles"), "interviews.roles")))
    c.unique(list(roles), "interviews.roles", "role")
    rep = c.mapping(d.get("report") or {}, "report", (), ("language", "min_count", "min_employees"))
    data = c.mapping(d.get("data") or {}, "data", (), ("raw_dir", "processed_dir", "data_cutoff"))
    return Evaluation(
        name, c.text(d["title"], "title"), c.text(d["owner"], "owner"),
        None if d.get("funder") is None else c.text(d["funder"], "funder"), sites, start, end, baseline,
        tuple(stops), comparison, c.text(d["target_group"], "target_group"), tuple(outcomes),
        Targets(count["total"], count["K"], count["M"],
                None if pp.get("date") is None else c.date(pp["date"], "targets.participants.date"),
                None if pp.get("source") is None else c.text(pp["source"], "targets.participants.source"), tuple(goals)),
        None if iv.get("codebook") is None else c.text(iv["codebook"], "interviews.codebook"), roles,
        c.choice(rep.get("language", "sv"), "report.language", ("sv", "en")),
        c.number(rep.get("min_count", 5), "report.min_count", True, 1),
        c.number(rep.get("min_employees", 10), "report.min_employees", True, 0),
        c.text(data.get("raw_dir", f"data_raw/{name}"), "data.raw_dir"),
        end if data.get("data_cutoff") is None else c.date(data["data_cutoff"], "data.data_cutoff"),
        follow_up, tuple(reported), None if iv.get("corpus") is None else c.text(iv["corpus"], "interviews.corpus"),
        c.text(data.get("processed_dir", f"data_processed/{name}"), "data.processed_dir"), tuple(aggregates))


def _lines(node: yaml.Node | None, path: str, out: dict[str, int], file: Path) -> dict[str, int]:
    """Key path → 1-based line; a key given twice in one mapping is an error."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            sub = _join(path, key.value)
            if sub in seen:
                raise InputError(f"key '{sub}' (line {key.start_mark.line + 1}): appears twice", file=file,
                                 expected="each key once per section")
            seen.add(sub)
            out[sub] = key.start_mark.line + 1
            _lines(value, sub, out, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[f"{path}[{i}]"] = item.start_mark.line + 1
            _lines(item, f"{path}[{i}]", out, file)
    return out


def _evaluations_dir(root: str | Path | None) -> Path:
    return Path(root or find_project_root()) / "evaluations"


def load_evaluation(name_or_path: str | Path, root: str | Path | None = None) -> Evaluation:
    """Read and validate an evaluation: a name (``evaluations/<name>.yml`` under ``root``, default the
    project root) or a path to a YAML file. Raises :class:`InputError` for anything wrong."""
    text_name = str(name_or_path)
    if isinstance(name_or_path, Path) or text_name.endswith((".yml", ".yaml")) or "/" in text_name:
        path = Path(name_or_path)
        if root is None and path.resolve().parent.name == "evaluations":
            root = path.resolve().parent.parent
    else:
        path = _evaluations_dir(root) / f"{text_name}.yml"
    if not path.is_file():
        raise InputError("no such evaluation", file=path, value=text_name,
                         expected="one of " + (", ".join(list_evaluations(root)) or "none yet") + " (or `fouress-eval new NAME`)")
    loader = _Loader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InputError(f"not valid YAML{where}: {getattr(error, 'problem', None) or error}", file=path,
                         expected="'key: value' lines indented with spaces, text with ':' or '#' in quotes") from None
    finally:
        loader.dispose()
    if data is None:
        raise InputError("the evaluation file is empty", file=path, expected="a configuration; see `skeleton()`")
    evaluation = _parse(data, _Check(path, _lines(node, "", {}, path)))
    object.__setattr__(evaluation, "source", path)
    object.__setattr__(evaluation, "root", Path(root or find_project_root()))
    return evaluation


def list_evaluations(root: str | Path | None = None) -> list[str]:
    """The names of the configurations in ``<root>/evaluations/``, sorted."""
    folder = _evaluations_dir(root)
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def skeleton(name: str) -> str:
    """A commented configuration to fill in; every quoted ``<placeholder>`` is one the loader rejects."""
    text = (Path(__file__).parent / "data" / "evaluation_skeleton.yml").read_text(encoding="utf-8")
    return text.replace("{name}", name)
