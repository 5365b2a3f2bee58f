"""Static site generator: Markdown-ish sources with front matter -> HTML files."""
