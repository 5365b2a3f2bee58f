"""Receiving payment-provider webhooks: signature verification and event dispatch."""
