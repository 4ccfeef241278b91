"""Reports of a scored session: terminal (Rich) and report.json (DESIGN §7)."""
