"""Shift pairing (ledger.core.shifts, docs/records.md "Shifts"): known answers for each clause
of the rule, then properties against a naive reading of the rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.records import AttendanceRecord
from ledger.core.shifts import (
    MAX_SHIFT,
    Punch,
    Shift,
    pair_shifts,
    stray_finding,
    unclosed_finding,
)

TZ = timezone(timedelta(hours=8))
P = "P-DEMO-001"


def _punch(t: datetime, direction: str, n: int, project: str = P) -> AttendanceRecord:
    return AttendanceRecord(
        id=f"GATE-01:{n}", signer="ab" * 16, time=t, project=project, subject="w-0001",
        device="GATE-01", device_seq=n, direction=direction, verify_mode="face",
        source="realtime",
    )  # fmt: skip


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=TZ)


def test_a_day_with_a_lunch_break_is_two_shifts() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 7, 58), "in", 1)), (2, _punch(_at(5, 12), "out", 2)),
                        (3, _punch(_at(5, 13), "in", 3)), (4, _punch(_at(5, 17, 30), "out", 4))],
                       TZ)  # fmt: skip
    assert [(s.first_in.seq, s.out.seq, s.minutes) for s in plan.shifts] == [(1, 2, 242),
                                                                            (3, 4, 270)]
    assert plan.minutes_by_day == {date(2026, 10, 5): 512}
    assert plan.days == (date(2026, 10, 5),)
    assert plan.unclosed == plan.stray_outs == plan.open == ()


def test_an_overnight_shift_counts_on_the_day_of_its_in() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 20), "in", 1)), (2, _punch(_at(6, 6, 15), "out", 2))],
                       TZ)  # fmt: skip
    (s,) = plan.shifts
    assert (s.day, s.minutes) == (date(2026, 10, 5), 615)
    assert plan.days == (date(2026, 10, 5),)


def test_the_local_date_is_the_projects_not_utc() -> None:
    # 07:30 at +08:00 is 23:30 UTC the day before: the project's date counts.
    plan = pair_shifts([(1, _punch(_at(5, 7, 30).astimezone(UTC), "in", 1)),
                        (2, _punch(_at(5, 17).astimezone(UTC), "out", 2))], TZ)  # fmt: skip
    assert plan.shifts[0].day == date(2026, 10, 5)
    plan_utc = pair_shifts([(1, _punch(_at(5, 7, 30).astimezone(UTC), "in", 1)),
                            (2, _punch(_at(5, 17).astimezone(UTC), "out", 2))], None)  # fmt: skip
    assert plan_utc.shifts[0].day == date(2026, 10, 4)  # each punch's own offset


def test_an_out_exactly_16_hours_later_closes_one_later_does_not() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 6), "in", 1)), (2, _punch(_at(5, 22), "out", 2))], TZ)
    assert plan.shifts[0].minutes == 16 * 60
    late = _at(5, 22) + timedelta(seconds=1)
    plan = pair_shifts([(1, _punch(_at(5, 6), "in", 1)), (2, _punch(late, "out", 2))], TZ)
    assert plan.shifts == ()
    assert [p.seq for p in plan.unclosed] == [1] and [p.seq for p in plan.stray_outs] == [2]
    assert plan.days == (date(2026, 10, 5),) and plan.minutes == 0


def test_repeated_ins_make_one_shift_from_the_first() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 7, 58), "in", 1)), (2, _punch(_at(5, 7, 58), "in", 2)),
                        (3, _punch(_at(5, 13), "in", 3)), (4, _punch(_at(5, 17), "out", 4))],
                       TZ)  # fmt: skip
    (s,) = plan.shifts
    assert (s.first_in.seq, s.out.seq, [r.seq for r in s.repeats]) == (1, 4, [2, 3])
    assert s.minutes == 542 and plan.unclosed == ()


def test_a_forgotten_out_leaves_an_unclosed_in_and_the_next_day_pairs() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 8), "in", 1)), (2, _punch(_at(6, 8), "in", 2)),
                        (3, _punch(_at(6, 17), "out", 3))], TZ)  # fmt: skip
    assert [p.seq for p in plan.unclosed] == [1]
    assert [(s.first_in.seq, s.out.seq) for s in plan.shifts] == [(2, 3)]
    assert plan.days == (date(2026, 10, 5), date(2026, 10, 6))
    assert unclosed_finding(plan.unclosed[0], TZ) == (
        "IN at 2026-10-05 08:00 (+08:00, GATE-01, seq 1) has no OUT within 16 h")


def test_an_in_is_closed_by_the_first_out_within_16_hours_not_a_later_one() -> None:
    # IN 08:00 (its OUT forgotten), IN 20:00, OUT 02:00 next day: 18 h after the first IN, so
    # only the second IN is closed; the first is unclosed.
    plan = pair_shifts([(1, _punch(_at(5, 8), "in", 1)), (2, _punch(_at(5, 20), "in", 2)),
                        (3, _punch(_at(6, 2), "out", 3))], TZ)  # fmt: skip
    assert [p.seq for p in plan.unclosed] == [1]
    assert [(s.first_in.seq, s.out.seq, s.minutes) for s in plan.shifts] == [(2, 3, 360)]


def test_stray_and_repeated_outs() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 6), "out", 1)), (2, _punch(_at(5, 8), "in", 2)),
                        (3, _punch(_at(5, 17), "out", 3)), (4, _punch(_at(5, 17), "out", 4))],
                       TZ)  # fmt: skip
    assert [(s.first_in.seq, s.out.seq) for s in plan.shifts] == [(2, 3)]
    assert [p.seq for p in plan.stray_outs] == [1, 4]
    assert stray_finding(plan.stray_outs[0], TZ) == (
        "OUT at 2026-10-05 06:00 (+08:00, GATE-01, seq 1) closes no IN")


def test_an_in_and_out_at_the_same_instant_pair_by_seq() -> None:
    t = _at(5, 8)
    plan = pair_shifts([(1, _punch(t, "in", 1)), (2, _punch(t, "out", 2))], TZ)
    assert plan.shifts[0].minutes == 0
    plan = pair_shifts([(1, _punch(t, "out", 1)), (2, _punch(t, "in", 2))], TZ)
    assert plan.shifts == () and len(plan.stray_outs) == 1 and len(plan.unclosed) == 1


def test_projects_are_paired_separately() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 8), "in", 1, "P-A")),
                        (2, _punch(_at(5, 17), "out", 2, "P-B"))], TZ)  # fmt: skip
    assert plan.shifts == ()
    assert [p.seq for p in plan.unclosed] == [1] and [p.seq for p in plan.stray_outs] == [2]


def test_an_in_near_the_end_of_the_data_is_open_not_unclosed() -> None:
    punches = [(1, _punch(_at(5, 8), "in", 1))]
    plan = pair_shifts(punches, TZ, until=_at(5, 20))
    assert [p.seq for p in plan.open] == [1] and plan.unclosed == ()
    assert plan.days == (date(2026, 10, 5),)
    plan = pair_shifts(punches, TZ, until=_at(6, 0))  # exactly 16 h: no OUT can come any more
    assert plan.open == () and [p.seq for p in plan.unclosed] == [1]


def test_on_site() -> None:
    plan = pair_shifts([(1, _punch(_at(5, 8), "in", 1)), (2, _punch(_at(5, 17), "out", 2)),
                        (3, _punch(_at(6, 8), "in", 3))], TZ)  # fmt: skip
    assert isinstance(plan.on_site(_at(5, 8)), Shift)
    assert isinstance(plan.on_site(_at(5, 16, 59)), Shift)
    assert plan.on_site(_at(5, 17)) is None  # the OUT instant: gone
    assert plan.on_site(_at(5, 7, 59)) is None
    got = plan.on_site(_at(6, 12))
    assert isinstance(got, Punch) and got.seq == 3  # an IN with no OUT, within 16 h
    assert plan.on_site(_at(7, 0)) is None  # 16 h after it: no longer believed


# ---------------------------------------------------------------------------- properties


def _naive(punches: list[tuple[int, AttendanceRecord]]) -> tuple[set[tuple[int, int]], set[int],
                                                                  set[int]]:  # fmt: skip
    """The rule read literally, one project, quadratic: each IN's closer is the first OUT after
    it within 16 h; shifts start at the first IN of each closer."""
    order = sorted(punches, key=lambda p: (p[1].time, p[0]))
    closer: dict[int, int] = {}
    for i, (seq, rec) in enumerate(order):
        if rec.direction != "in":
            continue
        for seq2, rec2 in order[i + 1:]:
            if rec2.direction == "out":
                if rec2.time - rec.time <= MAX_SHIFT:
                    closer[seq] = seq2
                break
    shifts: dict[int, int] = {}
    for in_seq, out_seq in closer.items():
        t = next(r.time for s, r in punches if s == in_seq)
        if out_seq not in shifts or t < next(r.time for s, r in punches if s == shifts[out_seq]):
            shifts[out_seq] = in_seq
    ins = {s for s, r in punches if r.direction == "in"}
    outs = {s for s, r in punches if r.direction == "out"}
    return {(i, o) for o, i in shifts.items()}, ins - set(closer), outs - set(closer.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 72 * 60), st.sampled_from(["in", "out"])),
                max_size=14))  # fmt: skip
def test_pairing_agrees_with_the_literal_rule(raw: list[tuple[int, str]]) -> None:
    start = _at(5, 0)
    punches = [(n, _punch(start + timedelta(minutes=m), d, n)) for n, (m, d) in enumerate(raw)]
    plan = pair_shifts(punches, TZ)
    want_shifts, want_unclosed, want_stray = _naive(punches)
    assert {(s.first_in.seq, s.out.seq) for s in plan.shifts} == want_shifts
    assert {p.seq for p in plan.unclosed} == want_unclosed
    assert {p.seq for p in plan.stray_outs} == want_stray
    # Every punch is accounted for exactly once.
    used = [p.seq for s in plan.shifts for p in (s.first_in, s.out, *s.repeats)]
    used += [p.seq for p in (*plan.unclosed, *plan.stray_outs)]
    assert sorted(used) == list(range(len(raw)))
    assert all(0 <= s.minutes <= 16 * 60 for s in plan.shifts)
    # Input order does not matter.
    assert pair_shifts(list(reversed(punches)), TZ) == plan
