"""File-level backup tool: walks a directory tree, applies exclude rules, writes a manifest."""
