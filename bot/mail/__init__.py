"""Mail to the support address, received by ``astreinte mail-in``: over LMTP from the mail
server (``lmtp``), or fetched from a hosted mailbox over IMAP (``imap_poller``); the polite
answers it owes are sent over SMTP (``answers``). What a mail means and what is done with
it is decided in ``sla_core.email``."""
