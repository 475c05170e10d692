"""Root-cause analyses: what went wrong on a ticket, written by an agent, approved by a
lead, sent to the reporter, and kept version by version (``docs/rca.md``). No Slack here:
``bot/`` renders, sends and lists them."""
