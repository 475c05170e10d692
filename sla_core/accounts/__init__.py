"""The account directory: customer accounts and the people of each (administrators,
account holders, end users), stored in the database so that every replica sees a change
at once. No Slack here: people are Slack user ids and/or e-mail addresses.

- ``models``: the tables; ``directory``: the per-request lookups (one indexed query);
- ``seed``: the first start copies app.yaml's accounts in, once, across replicas;
- ``manage``: add, change, deactivate, each change audited; ``importing``: a CRM file,
  checked whole, applied in one transaction."""
