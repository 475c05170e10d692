"""Block Kit for the interactive surfaces: the modals (intake, agent actions, reporter
answers) and the App Home. Pure functions from domain views and a language to JSON-ready
dicts; every text comes from ``messages/`` in the reader's language."""
