"""Product catalogue listing for the B2B shop: filtering and sorting."""
