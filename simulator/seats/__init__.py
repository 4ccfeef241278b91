"""Seats: every participant votes privately from their own device (DESIGN §9).

The host owns the engine and is the only writer of the journal; seats connect
over a WebSocket (`server`), speak the JSON protocol in `protocol`, and see only
what `views` lets through. Nothing here imports Textual.
"""
