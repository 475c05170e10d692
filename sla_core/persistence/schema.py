"""Every table of the application on one ``MetaData``: importing this module registers
each domain's models (``models`` for tickets and accounts, then one module per domain
beside them), which Alembic's environment and the schema tests need to see them all."""

from sla_core.persistence import (  # noqa: F401 - imported for their tables
    availability_models, oncall_models, outbox_models, preference_models, report_models,
)
from sla_core.email import models as email_models  # noqa: F401 - mail to the support address
from sla_core.persistence.models import Base
from sla_core.satisfaction import models as satisfaction_models  # noqa: F401 - its table

metadata = Base.metadata

__all__ = ["metadata"]
