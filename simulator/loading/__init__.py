"""Reading scenario, map and roster files into validated models; never imports the UI."""

from simulator.loading.findings import Finding, LoadError
from simulator.loading.load import Kind, Loaded, load_any, load_map, load_roster, load_scenario

__all__ = ["Finding", "Kind", "LoadError", "Loaded", "load_any", "load_map", "load_roster", "load_scenario"]
