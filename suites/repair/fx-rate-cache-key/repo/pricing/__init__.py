"""Multi-currency price display for the shop front: exchange rates with a short-lived cache."""
