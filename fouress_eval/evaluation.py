"""An evaluation as a configuration: ``evaluations/<name>.yml``, its validation and loading.

One YAML file describes one project: name (= the file name), title, owner, funder, sites, period,
baseline, follow-up, interruptions (``intervention``, ``phase`` or ``external`` such as COVID-19),
comparison, target group, outcomes, targets, reported figures, published aggregates, interviews,
report thresholds and data folders. :func:`skeleton` returns the schema as a commented file to fill
in; ``evaluations/README.md`` states the rules. Values are read with :mod:`.yaml_check`, so every
error is an :class:`InputError` naming the file, the key path (``sites[2].municipality``), its line,
the value and what was expected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .config import Settings, find_project_root
from .errors import InputError
from .metrics.targets import INDICATORS
from .municipalities import counties, county_code, fold, municipalities, municipality_code
from .yaml_check import Check, plain, read_yaml

__all__ = ["Evaluation", "Site", "Interruption", "Outcome", "Goal", "Targets", "Reported", "load_evaluation",
           "list_evaluations", "skeleton", "SOURCES", "LEVELS", "KINDS"]

SOURCES = ("personnel_hours", "sickpay", "kolada", "clinic")
LEVELS = ("municipality", "county", "health_centre")
KINDS = ("intervention", "phase", "external")
COMPARISONS = ("same_county", "other_counties")
GOAL_DIRECTIONS = ("at_least", "at_most")  # a floor to reach, a ceiling to stay under
NAME_PATTERN = r"[a-z][a-z0-9_]*"  # an evaluation's name: lower-case letters, digits and _, as its file name
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
    """A goal ``value`` (in ``unit``) to reach by ``date``; ``direction`` says whether it is a floor
    (``at_least``: the outcome should reach it) or a ceiling (``at_most``: stay at or below it)."""
    name: str
    value: float
    unit: str
    date: pd.Timestamp
    description: str | None = None
    source: str | None = None
    outcome: str | None = None  # the outcome series the goal is measured on, if any
    direction: str | None = None  # "at_least" or "at_most"; None: not said (indicators: at_least)


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
        found = [o for o in self.outcomes if o.name == name] if name else list(self.outcomes[:1]) or [None]
        if found:
            return found[0]
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
            return {s.level: s.code, "health_centres": list(s.health_centres) or None}
        t = self.targets
        participants = plain({"total": t.participants, "K": t.participants_women, "M": t.participants_men,
                              "date": t.participants_date, "source": t.participants_source})
        return plain({
            "name": self.name, "title": self.title, "owner": self.owner, "funder": self.funder,
            "sites": [site(s) for s in self.sites], "period": {"start": self.period_start, "end": self.period_end},
            "baseline": self.baseline,
            "follow_up": None if self.follow_up is None else {"start": self.follow_up[0], "end": self.follow_up[1]},
            "interruptions": self.interruptions,
            "comparison": self.comparison if isinstance(self.comparison, str) else [site(s) for s in self.comparison],
            "target_group": self.target_group,
            "outcomes": [{"name": o.name, "source": o.source, "series": o.series, "measure": o.measure, "unit": o.unit,
                          "rolling_12m": o.rolling_12m, "level": o.levels} for o in self.outcomes],
            "targets": {"participants": participants or None, "goals": t.goals},
            "reported": self.reported or None,
            "published_aggregates": [{"label": lab, "kind": kind, "total": total, "parts": parts}
                                     for lab, kind, total, parts in self.published_aggregates] or None,
            "interviews": {"corpus": self.corpus, "codebook": self.codebook, "roles": self.roles},
            "report": {"language": self.language, "min_count": self.min_count, "min_employees": self.min_employees},
            "data": {"raw_dir": self.raw_dir, "data_cutoff": self.data_cutoff,
                     "processed_dir": None if self.processed_dir in ("", f"data_processed/{self.name}")
                     else self.processed_dir}})


class _Check(Check):
    """The typed reads of :mod:`.yaml_check`, plus a site (a municipality or county by code or name)."""

    def site(self, value: Any, path: str, centres: bool = True) -> Site:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and not centres:
            value = {"municipality": value}
        d = self.mapping(value, path, (), ("municipality", "county") + (("health_centres",) if centres else ()))
        levels = [k for k in ("municipality", "county") if k in d]
        if len(levels) != 1:
            raise self.fail(path, "needs exactly one of 'municipality' or 'county'", value,
                            "e.g. {municipality: Skurup} or {county: Uppsala}")
        self.text(d[levels[0]], f"{path}.{levels[0]}")  # a placeholder left unfilled says so
        code = self.lookup(d[levels[0]], f"{path}.{levels[0]}",
                           municipality_code if levels[0] == "municipality" else county_code)
        return Site(levels[0], code, self.texts(d.get("health_centres"), f"{path}.health_centres"))


def _parse(data: Any, c: _Check) -> Evaluation:
    d = c.mapping(data, "", _REQUIRED, tuple(k for k in _TOP if k not in _REQUIRED))
    name = c.text(d["name"], "name")
    if not re.fullmatch(NAME_PATTERN, name) or (c.file is not None and name != c.file.stem):
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
    for path, r in c.records(d["interruptions"], "interruptions", ("name", "start"), ("end", "kind"), 1):
        stop = Interruption(c.text(r["name"], f"{path}.name"), c.month(r["start"], f"{path}.start"),
                            c.optional(c.month, r, "end", path), c.choice(r.get("kind", "intervention"), f"{path}.kind", KINDS))
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
    for path, o in c.records(d.get("outcomes"), "outcomes", ("name", "source", "measure", "unit"),
                             ("series", "rolling_12m", "level")):
        rolling = c.flag(o.get("rolling_12m", False), f"{path}.rolling_12m")
        levels = o.get("level", "municipality")
        levels = levels if isinstance(levels, list) and levels else [levels]
        outcomes.append(Outcome(c.text(o["name"], f"{path}.name"), c.choice(o["source"], f"{path}.source", SOURCES),
                                c.text(o["measure"], f"{path}.measure"), c.text(o["unit"], f"{path}.unit"), rolling,
                                tuple(c.choice(v, f"{path}.level", LEVELS) for v in levels),
                                c.optional(c.text, o, "series", path)))
    c.unique([o.name for o in outcomes], "outcomes", "outcome name")
    t = c.mapping(d.get("targets") or {}, "targets", (), ("participants", "goals"))
    pp = c.mapping(t.get("participants") or {}, "targets.participants", (), ("total", "K", "M", "date", "source"),
                   expected="a sex K (women) or M (men), or total, date or source")
    count = {k: c.optional(c.number, pp, k, "targets.participants", True, 0) for k in ("total", "K", "M")}
    if count["total"] is None and None not in (count["K"], count["M"]):
        count["total"] = count["K"] + count["M"]
    parts = sum(v or 0 for v in (count["K"], count["M"]))
    if count["total"] is not None and (parts > count["total"] or (None not in count.values() and parts != count["total"])):
        raise c.fail("targets.participants.total", "does not match K + M", count["total"], f"K + M = {parts}")
    goals = []
    for path, g in c.records(t.get("goals"), "targets.goals", ("name", "value", "date"),
                             ("unit", "outcome", "direction", "description", "source")):
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
        goals.append(Goal(gname, value, unit, c.date(g["date"], f"{path}.date"),
                          *(c.optional(c.text, g, k, path) for k in ("description", "source")),
                          c.optional(c.choice, g, "outcome", path, tuple(o.name for o in outcomes)),
                          c.optional(c.choice, g, "direction", path, GOAL_DIRECTIONS)))
    c.unique([g.name for g in goals], "targets.goals", "goal name")
    reported = []
    for path, r in c.records(d.get("reported"), "reported", ("name", "value", "unit"), ("date", "description", "source")):
        reported.append(Reported(c.text(r["name"], f"{path}.name"), c.number(r["value"], f"{path}.value"),
                                 c.text(r["unit"], f"{path}.unit"), c.optional(c.date, r, "date", path),
                                 *(c.optional(c.text, r, k, path) for k in ("description", "source"))))
    c.unique([r.name for r in reported], "reported", "figure name")
    aggregates = []
    for path, a in c.records(d.get("published_aggregates"), "published_aggregates", ("label", "kind", "parts"), ("total",)):
        parts = c.mapping(a["parts"], f"{path}.parts", (), tuple(map(str, a["parts"])) if isinstance(a["parts"], dict) else ())
        aggregates.append((c.text(a["label"], f"{path}.label"), c.choice(a["kind"], f"{path}.kind", ("count", "share")),
                           c.optional(c.number, a, "total", path, False, 0),
                           {str(k): c.number(v, f"{path}.parts.{k}", minimum=0) for k, v in parts.items()}))
    iv = c.mapping(d.get("interviews") or {}, "interviews", (), ("corpus", "codebook", "roles"))
    roles = c.texts(iv.get("roles"), "interviews.roles")
    c.unique(list(roles), "interviews.roles", "role")
    rep = c.mapping(d.get("report") or {}, "report", (), ("language", "min_count", "min_employees"))
    data = c.mapping(d.get("data") or {}, "data", (), ("raw_dir", "processed_dir", "data_cutoff"))
    return Evaluation(
        name, c.text(d["title"], "title"), c.text(d["owner"], "owner"),
        c.optional(c.text, d, "funder", ""), sites, start, end, baseline,
        tuple(stops), comparison, c.text(d["target_group"], "target_group"), tuple(outcomes),
        Targets(count["total"], count["K"], count["M"], c.optional(c.date, pp, "date", "targets.participants"),
                c.optional(c.text, pp, "source", "targets.participants"), tuple(goals)),
        c.optional(c.text, iv, "codebook", "interviews"), roles,
        c.choice(rep.get("language", "sv"), "report.language", ("sv", "en")),
        c.number(rep.get("min_count", 5), "report.min_count", True, 1),
        c.number(rep.get("min_employees", 10), "report.min_employees", True, 0),
        c.text(data.get("raw_dir", f"data_raw/{name}"), "data.raw_dir"),
        end if data.get("data_cutoff") is None else c.date(data["data_cutoff"], "data.data_cutoff"),
        follow_up, tuple(reported), c.optional(c.text, iv, "corpus", "interviews"),
        c.text(data.get("processed_dir", f"data_processed/{name}"), "data.processed_dir"), tuple(aggregates))


def load_evaluation(name_or_path: str | Path, root: str | Path | None = None) -> Evaluation:
    """Read and validate an evaluation: a name (``evaluations/<name>.yml`` under ``root``, default the
    project root) or a path to a YAML file. Raises :class:`InputError` for anything wrong."""
    text_name = str(name_or_path)
    if isinstance(name_or_path, Path) or text_name.endswith((".yml", ".yaml")) or "/" in text_name:
        path = Path(name_or_path)
        if root is None and path.resolve().parent.name == "evaluations":
            root = path.resolve().parent.parent
    else:
        path = Path(root or find_project_root()) / "evaluations" / f"{text_name}.yml"
    if not path.is_file():
        raise InputError("no such evaluation", file=path, value=text_name,
                         expected="one of " + (", ".join(list_evaluations(root)) or "none yet") + " (or `fouress-eval new NAME`)")
    data, lines = read_yaml(path)
    if data is None:
        raise InputError("the evaluation file is empty", file=path, expected="a configuration; see `skeleton()`")
    return replace(_parse(data, _Check(path, lines)), source=path, root=Path(root or find_project_root()))


def list_evaluations(root: str | Path | None = None) -> list[str]:
    """The names of the configurations in ``<root>/evaluations/``, sorted."""
    folder = Path(root or find_project_root()) / "evaluations"
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def skeleton(name: str) -> str:
    """A commented configuration to fill in; every quoted ``<placeholder>`` is one the loader rejects."""
    text = (Path(__file__).parent / "data" / "evaluation_skeleton.yml").read_text(encoding="utf-8")
    return text.replace("{name}", name)
