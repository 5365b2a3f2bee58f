"""Read-only product catalogue API: pagination, query parameters and JSON-ready responses."""
