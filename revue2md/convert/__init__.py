"""The canonical tree to markdown, and links between issues."""
