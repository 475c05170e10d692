"""The scheduler's decisions: what is due for a ticket at an instant (warnings, update
reminders, breach escalations, on-call pages), the availability warnings and the monthly
summary. Pure functions of the policy, the ticket's log and ``now``; the bot's tick runs
them and writes the outbox. Who is on call is ``sla_core.oncall``'s."""
