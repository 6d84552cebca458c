"""The commands' work as library functions that return reports; nothing here prints."""
