"""Amateur football league: results, standings table and its text rendering."""
