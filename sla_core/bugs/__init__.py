"""Bug reports in the vendor's issue tracker, as the domain sees them: which tracker issues
a ticket is linked to (many to many), what each one's known state is, the draft an agent
files from a ticket (stripped of the reporter's personal data), and what a change in the
tracker means to the tickets linked to it. No Slack and no HTTP here: the tracker's
clients live in ``bot/trackers/``, and every call to a tracker is an outbox job."""
