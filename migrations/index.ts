import { Core1732300000000 } from './1732300000000-core';
import { Refunds1732300000001 } from './1732300000001-refunds';
import { Reports1732300000002 } from './1732300000002-reports';
import { Shadow1732300000003 } from './1732300000003-shadow';
import { EscalationWebhooks1732300000004 } from './1732300000004-escalation-webhooks';
import { RepeatCountIndex1732300000005 } from './1732300000005-repeat-count-index';
import { IdempotencyKeys1732300000020 } from './1732300000020-idempotency-keys';
import { IncidentLifecycle1732300000040 } from './1732300000040-incident-lifecycle';
import { FiledDocuments1732300000050 } from './1732300000050-filed-documents';
import { IncidentStatistics1732300000060 } from './1732300000060-incident-statistics';
import { People1732300000070 } from './1732300000070-people';
import { Notifications1732300000071 } from './1732300000071-notifications';
import { Remedies1732300000080 } from './1732300000080-remedies';
import { Drills1732300000090 } from './1732300000090-drills';

/** Every migration, in order. Listed explicitly so the build and the tests load the same set. */
export const MIGRATIONS = [
  Core1732300000000,
  Refunds1732300000001,
  Reports1732300000002,
  Shadow1732300000003,
  EscalationWebhooks1732300000004,
  RepeatCountIndex1732300000005,
  IdempotencyKeys1732300000020,
  IncidentLifecycle1732300000040,
  FiledDocuments1732300000050,
  IncidentStatistics1732300000060,
  People1732300000070,
  Notifications1732300000071,
  Remedies1732300000080,
  Drills1732300000090,
];
