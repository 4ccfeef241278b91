"""Reports of scored sessions: terminal (Rich), report.json, the AAR/IP in Markdown, HTML and CSV, and trends.

What each report holds is described in docs/reports.md and docs/report-json.md.
"""
