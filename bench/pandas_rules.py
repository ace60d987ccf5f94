"""The standard pack's 13 rules in pandas, over events read in chunks.

Each chunk is reduced to per-group counts at once; the counts of all
chunks are summed at the end, so memory holds the groups, not the events.
Rule by rule, the conditions follow rules/standard.vakt and
docs/standard-pack.md; the thresholds are the pack's default parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ZONE = "Europe/Stockholm"
EPOCH = pd.Timestamp("1970-01-01", tz="UTC")
SECOND = pd.Timedelta(seconds=1)

RECORD_ACTIONS = ["read", "print", "export", "search", "write"]
EMERGENCY_PURPOSES = ["emergency", "BTG", "break-glass", "nodatkomst"]
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

MAX_FAILED_SIGN_INS = 5
MAX_OPENS_PER_PATIENT = 50
MAX_PROTECTED_OPENS = 5
MAX_WITHDRAWAL_RATIO = 1.5
MIN_WITHDRAWALS = 3

# Per grouped rule: its key columns, sorted by name, and its window.
GROUPED = {
    "repeated_failed_sign_ins": (["user"], "day"),
    "access_denied": (["user"], "day"),
    "resource_outside_permissions": (["resource", "user"], "month"),
    "third_country_access": (["ip", "user"], "month"),
    "withdrawals_out_of_proportion": (["drug", "user"], "month"),
    "many_opens_same_patient": (["patient", "user"], "month"),
    "off_hours_access": (["user"], "day"),
    "other_unit_access": (["unit", "user"], "month"),
    "protected_identity_opens": (["user"], "month"),
    "media_interest_reads": (["patient", "user"], "month"),
    "no_care_relation": (["patient", "user"], "month"),
}
UNGROUPED = ["locked_account", "emergency_access"]


def _split(text) -> list[str]:
    if not isinstance(text, str):
        return []
    return [part.strip() for part in text.split(";") if part.strip()]


def _days(text: str) -> list[int]:
    days = []
    for item in text.split(","):
        first, _, last = item.strip().partition("-")
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last) if last else start
        days.extend((start + k) % 7 for k in range((end - start) % 7 + 1))
    return days


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def _shift_rows(user: str, schedule) -> list[tuple]:
    rows = []
    for shift in _split(schedule):
        days, _, hours = shift.partition(" ")
        start, _, end = hours.strip().partition("-")
        for day in set(_days(days)):
            rows.append((user, day, _minutes(start), _minutes(end)))
    return rows


@dataclass
class Context:
    """The context files as the rules look them up."""

    users: set
    user_units: pd.DataFrame
    permissions: pd.DataFrame
    shifts: pd.DataFrame
    protected: set
    media: set
    drugs: set
    held: pd.DataFrame
    range_starts: np.ndarray
    range_ends: np.ndarray
    range_countries: np.ndarray
    eu_eea: set
    holidays: set

    @staticmethod
    def load(folder: str, countries: str, eu_eea: str, holidays: str) -> "Context":
        users = pd.read_csv(f"{folder}/users.csv", dtype=str)
        pairs = lambda column: pd.DataFrame(  # noqa: E731
            [(u, v) for u, text in zip(users["id"], users[column]) for v in _split(text)],
            columns=["user", column],
        )
        user_units = pairs("units").rename(columns={"units": "unit"})
        shift_rows = [
            row for u, s in zip(users["id"], users["schedule"]) for row in _shift_rows(u, s)
        ]
        patients = pd.read_csv(f"{folder}/patients.csv", dtype=str)
        drugs = pd.read_csv(f"{folder}/drugs.csv", dtype=str)
        ranges = pd.read_csv(countries, dtype={"start": np.uint64, "end": np.uint64})
        return Context(
            users=set(users["id"]),
            user_units=user_units,
            permissions=pairs("permissions").rename(columns={"permissions": "resource"}),
            shifts=pd.DataFrame(shift_rows, columns=["user", "weekday", "start", "end"]),
            protected=set(patients.loc[patients["protected"] == "yes", "id"]),
            media=set(patients.loc[patients["media_interest"] == "yes", "id"]),
            drugs=set(drugs.loc[drugs["class"].isin(["II", "III", "IV", "V"]), "id"]),
            held=_held(f"{folder}/relations.csv", user_units),
            range_starts=ranges["start"].to_numpy(),
            range_ends=ranges["end"].to_numpy(),
            range_countries=ranges["country"].to_numpy(),
            eu_eea=set(pd.read_csv(eu_eea, dtype=str)["iso_alpha2"]),
            holidays={pd.Timestamp(d, tz=ZONE) for d in pd.read_csv(holidays)["day"]},
        )

    def country(self, ips: pd.Series) -> pd.Series:
        """The country of each IPv4 address, or None."""
        parts = ips.str.split(".", expand=True).astype(np.uint64)
        numbers = parts[0] * 16777216 + parts[1] * 65536 + parts[2] * 256 + parts[3]
        index = np.searchsorted(self.range_starts, numbers.to_numpy(), side="right") - 1
        safe = np.clip(index, 0, None)
        inside = (index >= 0) & (numbers.to_numpy() <= self.range_ends[safe])
        found = np.where(inside, self.range_countries[safe], None)
        return pd.Series(found, index=ips.index)


def _held(path: str, user_units: pd.DataFrame) -> pd.DataFrame:
    """Care relations by the user who holds them, directly or by a unit."""
    relations = pd.read_csv(path, dtype=str)
    relations["from"] = pd.to_datetime(relations["from"], utc=True)
    relations["to"] = pd.to_datetime(relations["to"], utc=True)
    direct = relations.dropna(subset=["user"])[["user", "patient", "from", "to"]]
    by_unit = relations.dropna(subset=["unit"]).merge(user_units, on="unit")
    by_unit = by_unit.rename(columns={"user_y": "user"})[["user", "patient", "from", "to"]]
    return pd.concat([direct, by_unit], ignore_index=True)


@dataclass
class Evaluation:
    """Partial counts per rule, added to chunk by chunk."""

    context: Context
    period: tuple[pd.Timestamp, pd.Timestamp]
    partial: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    evaluated: int = 0

    def add_chunk(self, chunk: pd.DataFrame) -> None:
        """Evaluates one chunk of raw events (text columns)."""
        frame = self._prepare(chunk)
        self.evaluated += len(frame)
        for rule, matched in self._matches(frame).items():
            self._count(rule, frame, matched)
        self._ungrouped(frame)

    def _prepare(self, chunk: pd.DataFrame) -> pd.DataFrame:
        for column in ["outcome", "patient", "unit", "resource", "ip", "drug", "purpose"]:
            if column not in chunk:
                chunk[column] = None
        chunk = chunk.astype({"user": str})
        time = pd.to_datetime(chunk["time"], utc=True, format="ISO8601")
        inside = (time >= self.period[0]) & (time < self.period[1])
        frame = chunk.loc[inside].copy()
        frame["time"] = time[inside]
        local = frame["time"].dt.tz_convert(ZONE)
        day = local.dt.normalize()
        frame["day"] = (day - EPOCH) // SECOND
        months = {d: (d.replace(day=1) - EPOCH) // SECOND for d in day.unique()}
        frame["month"] = day.map(months)
        frame["weekday"] = local.dt.dayofweek
        frame["minute"] = local.dt.hour * 60 + local.dt.minute
        frame["holiday"] = day.isin(self.context.holidays)
        return frame

    def _matches(self, f: pd.DataFrame) -> dict:
        c = self.context
        opens = f["action"].isin(RECORD_ACTIONS) & f["patient"].notna()
        emergency = f["purpose"].isin(EMERGENCY_PURPOSES)
        known = f["user"].isin(c.users)
        matched = {
            "repeated_failed_sign_ins": (f["action"] == "login") & (f["outcome"] == "failure"),
            "access_denied": f["outcome"] == "denied",
            "resource_outside_permissions": self._outside_permissions(f, known, emergency),
            "third_country_access": self._third_country(f, opens),
            "withdrawals_out_of_proportion": f["drug"].isin(c.drugs)
            & f["action"].isin(["withdrawal", "administration"]),
            "many_opens_same_patient": f["action"].isin(["read", "print"])
            & f["patient"].notna(),
            "off_hours_access": self._off_hours(f, opens & known & ~emergency),
            "other_unit_access": self._other_unit(f, opens & known & ~emergency),
            "protected_identity_opens": opens & f["patient"].isin(c.protected),
            "media_interest_reads": opens & f["patient"].isin(c.media),
            "no_care_relation": self._no_relation(f, opens & known & ~emergency),
        }
        return matched

    def _outside_permissions(self, f, known, emergency) -> pd.Series:
        candidate = known & f["resource"].notna() & ~(f["outcome"] == "denied") & ~emergency
        rows = f.loc[candidate, ["user", "resource"]].reset_index()
        granted = rows.merge(self.context.permissions, on=["user", "resource"])["index"]
        return candidate & ~f.index.isin(granted)

    def _third_country(self, f, opens) -> pd.Series:
        candidate = opens & f["ip"].notna()
        ips = pd.Series(f.loc[candidate, "ip"].unique())
        countries = self.context.country(ips)
        outside = ips[countries.notna() & ~countries.isin(self.context.eu_eea)]
        return candidate & f["ip"].isin(outside)

    def _off_hours(self, f, base) -> pd.Series:
        odd = (f["minute"] >= 22 * 60) | (f["minute"] < 6 * 60)
        odd |= f["weekday"].isin([5, 6]) | f["holiday"]
        candidate = base & odd
        rows = f.loc[candidate, ["user", "weekday", "minute"]].reset_index()
        joined = rows.merge(self.context.shifts, on="user", suffixes=("", "_shift"))
        day_shift = joined["start"] < joined["end"]
        same_day = joined["weekday_shift"] == joined["weekday"]
        day_before = joined["weekday_shift"] == (joined["weekday"] + 6) % 7
        covers = (day_shift & same_day & (joined["minute"] >= joined["start"])
                  & (joined["minute"] < joined["end"]))
        covers |= ~day_shift & same_day & (joined["minute"] >= joined["start"])
        covers |= ~day_shift & day_before & (joined["minute"] < joined["end"])
        on_shift = joined.loc[covers, "index"]
        return candidate & ~f.index.isin(on_shift)

    def _other_unit(self, f, base) -> pd.Series:
        candidate = base & f["unit"].notna()
        rows = f.loc[candidate, ["user", "unit"]].reset_index()
        own = rows.merge(self.context.user_units, on=["user", "unit"])["index"]
        return candidate & ~f.index.isin(own)

    def _no_relation(self, f, candidate) -> pd.Series:
        rows = f.loc[candidate, ["user", "patient", "time"]].reset_index()
        joined = rows.merge(self.context.held, on=["user", "patient"])
        valid = (joined["from"].isna() | (joined["from"] <= joined["time"])) & (
            joined["to"].isna() | (joined["time"] < joined["to"])
        )
        related = joined.loc[valid, "index"]
        return candidate & ~f.index.isin(related)

    def _count(self, rule: str, f: pd.DataFrame, matched: pd.Series) -> None:
        keys, window = GROUPED[rule]
        rows = f.loc[matched, keys + [window, "action"]].dropna(subset=keys)
        rows = rows.rename(columns={window: "window"})
        rows["withdrawals"] = rows["action"] == "withdrawal"
        rows["administrations"] = rows["action"] == "administration"
        counts = rows.groupby(keys + ["window"]).agg(
            count=("action", "size"),
            withdrawals=("withdrawals", "sum"),
            administrations=("administrations", "sum"),
        )
        self.partial.setdefault(rule, []).append(counts)

    def _ungrouped(self, f: pd.DataFrame) -> None:
        seconds = (f["time"] - EPOCH) // SECOND
        lockouts = f["action"] == "lockout"
        emergency = f["purpose"].isin(EMERGENCY_PURPOSES)
        for rule, matched in [("locked_account", lockouts), ("emergency_access", emergency)]:
            for user, start in zip(f.loc[matched, "user"], seconds[matched]):
                self.events.append((rule, f"user={user}", int(start)))

    def keys(self) -> set:
        """Every finding as (rule, key, window start in epoch seconds)."""
        found = set(self.events)
        for rule, parts in self.partial.items():
            keys, _ = GROUPED[rule]
            totals = pd.concat(parts).groupby(level=list(range(len(keys) + 1))).sum()
            for index, row in totals[_fires(rule, totals)].iterrows():
                key = "|".join(f"{name}={value}" for name, value in zip(keys, index))
                found.add((rule, key, int(index[-1])))
        return found


def _fires(rule: str, totals: pd.DataFrame) -> pd.Series:
    count = totals["count"]
    if rule == "repeated_failed_sign_ins":
        return count >= MAX_FAILED_SIGN_INS
    if rule == "many_opens_same_patient":
        return count > MAX_OPENS_PER_PATIENT
    if rule == "protected_identity_opens":
        return count > MAX_PROTECTED_OPENS
    if rule == "withdrawals_out_of_proportion":
        w, a = totals["withdrawals"], totals["administrations"]
        ratio = w / a.where(a > 0)
        return (w >= MIN_WITHDRAWALS) & ((a == 0) | (ratio > MAX_WITHDRAWAL_RATIO))
    return count >= 1
