"""Per-client request rate limiting for the API gateway (token buckets)."""
