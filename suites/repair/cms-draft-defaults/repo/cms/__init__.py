"""Editorial CMS core: articles, tags and the draft/publish workflow."""
