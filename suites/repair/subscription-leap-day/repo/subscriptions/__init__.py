"""Subscription billing cycles: plans, renewal dates and upcoming-invoice schedules."""
