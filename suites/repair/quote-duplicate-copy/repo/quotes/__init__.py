"""Sales quotes: line items, discounts and the quote lifecycle (draft -> sent -> accepted)."""
