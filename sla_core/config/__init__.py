"""``app.yaml``: one loader, one frozen ``AppConfig`` for every section, built once per
process and passed in. ``load_config`` reads ``--config``, else ``$ASTREINTE_CONFIG``, else
the app.yaml bundled in this package (the repository's root ``app.yaml`` is a link to it)."""

from sla_core.config.app import (
    ENV_VAR, SECTIONS, AppConfig, config_from_mapping, config_path, default_config_text, load_config,
)
from sla_core.config.reader import ConfigErrors

__all__ = ["ENV_VAR", "SECTIONS", "AppConfig", "ConfigErrors", "config_from_mapping", "config_path",
           "default_config_text", "load_config"]
