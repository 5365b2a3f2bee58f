"""Server-side login sessions with sliding expiry and per-user session lists."""
