"""The bug trackers' side: GitHub Issues and Jira Cloud, over their REST APIs.

Here rather than in a package of its own: ``bot/`` is where the desk meets the outside
world (Slack, the HTTP server, the command line, SMTP), and a tracker is one more such
system; its webhooks are served by the bot's own server and its jobs run in the bot's
process beside the Slack sender, with the bot's context. The clients (``http``, ``github``,
``jira``, ``body``) import no Slack (a test checks it): they could be lifted out unchanged.

- ``http``: one ``httpx`` client per tracker and what a failed call means (rate limited:
  wait what the tracker says; 5xx or no answer: back off, the call may have landed;
  other 4xx: permanent);
- ``github`` and ``jira``: create an issue, read one, find the one carrying an
  idempotency marker;
- ``worker``: the outbox's tracker jobs, done with those clients;
- ``webhooks``: ``POST /webhooks/github`` and ``POST /webhooks/jira``, signatures checked;
- ``polling``: the tick's jobs for deployers whose tracker cannot reach them.

httpx rather than PyGithub or atlassian-python-api: the four calls per tracker we make
are plain REST, and we need to see every status code and rate-limit header ourselves
(those clients retry or raise in their own ways, which would hide an unknown outcome
from the outbox); httpx is well kept, has timeouts on every phase and keeps connections
alive."""
