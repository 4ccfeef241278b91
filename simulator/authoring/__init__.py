"""Tools for scenario and map authors: starter files, diagrams, handouts, map audit views.

Nothing here imports the UI; each module is imported only by the command that needs it.
"""
