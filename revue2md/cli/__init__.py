"""The Typer command line: options in, a report printed; nothing else imports it."""
