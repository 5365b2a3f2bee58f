"""Contact management: the contact model plus CSV export/import for spreadsheets."""
