"""Built-in data sources: `null` (returns its input) and `http` (fetches a URL)."""
