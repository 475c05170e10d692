"""Every table of the application on one ``MetaData``: importing this module registers
each domain's models (``models`` here for tickets and accounts, then the ``models`` module
of each domain folder), which Alembic's environment and the schema tests need to see them all."""

from sla_core.accounts import models as account_models  # noqa: F401 - imported for their tables
from sla_core.availability import models as availability_models  # noqa: F401 - imported for their tables
from sla_core.email import models as email_models  # noqa: F401 - mail to the support address
from sla_core.event_dedup import models as event_dedup_models  # noqa: F401
from sla_core.oncall import models as oncall_models  # noqa: F401
from sla_core.outbox import models as outbox_models  # noqa: F401
from sla_core.bugs import models as bug_models  # noqa: F401 - imported for its tables
from sla_core.persistence.models import Base
from sla_core.satisfaction import models as satisfaction_models  # noqa: F401 - its table
from sla_core.preferences import models as preference_models  # noqa: F401
from sla_core.reports import models as report_models  # noqa: F401
from sla_core.rca import models as rca_models  # noqa: F401 - imported for its table

metadata = Base.metadata

__all__ = ["metadata"]
