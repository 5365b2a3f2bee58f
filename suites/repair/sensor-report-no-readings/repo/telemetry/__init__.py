"""Greenhouse sensor telemetry: parsing readings and the daily summary e-mail."""
