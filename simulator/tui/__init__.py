"""The Textual front end: a view over the same Engine the headless runner drives."""
