"""User accounts: username rules, registration and the member directory search."""
