"""ttx: a terminal tabletop-exercise simulator for incident-response ownership."""
