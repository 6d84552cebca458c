"""Hugo pages: fields, front matter, names, images, state, lock, writing, a site build."""
