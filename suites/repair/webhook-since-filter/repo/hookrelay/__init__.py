"""Webhook relay: records outgoing webhook deliveries and exposes them to an admin API."""
