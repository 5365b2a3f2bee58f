"""worklog: time tracking, billing and reports for a small consultancy."""

from .billing import InvoiceDraft, RateCard, overtime_minutes, payroll, week_status, weekly_minutes
from .dates import add_months, days_in_month, is_leap, month_bounds, parse_date, week_label, week_start, working_days
from .durations import format_duration, hours_decimal, parse_duration, round_up
from .entries import Entry, find_overlaps, format_clock, parse_entry, parse_time
from .money import allocate, format_money, percent_of, round_cents, to_decimal
from .report import Page, by_project, paginate, summary, to_csv, top_projects

__version__ = "2.3.1"

__all__ = [
    "Entry",
    "InvoiceDraft",
    "Page",
    "RateCard",
    "add_months",
    "allocate",
    "by_project",
    "days_in_month",
    "find_overlaps",
    "format_clock",
    "format_duration",
    "format_money",
    "hours_decimal",
    "is_leap",
    "month_bounds",
    "overtime_minutes",
    "paginate",
    "parse_date",
    "parse_duration",
    "parse_entry",
    "parse_time",
    "payroll",
    "percent_of",
    "round_cents",
    "round_up",
    "summary",
    "to_csv",
    "to_decimal",
    "top_projects",
    "week_label",
    "week_start",
    "week_status",
    "weekly_minutes",
    "working_days",
]
