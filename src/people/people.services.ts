import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import { OidcVerifier } from './oidc-verifier';
import type { Clock } from '../common/clock';
import type { Transactions } from '../database/transaction';
import type { RuleSetService } from '../rulesets/rule-set.service';
import { StaffService } from './staff.service';
import { StaffIdentity } from './staff-identity';
import { ContactService } from './contact.service';
import { OnCallService } from './on-call.service';
import { NotificationService } from './notification.service';
import { NotificationDispatcher } from './notification.dispatcher';

/** People, not keys: the staff directory, contacts, on-call and what reaches people. */
export interface PeopleServices {
  staff: StaffService;
  identity: StaffIdentity;
  contacts: ContactService;
  onCall: OnCallService;
  /** `notifications.notify(em, incidentId, reason)`: the one entry point that tells people about an incident. */
  notifications: NotificationService;
  /** Delivers notifications on the webhook worker's poll. */
  dispatcher: NotificationDispatcher;
}

export function createPeopleServices(config: AppConfig, ds: DataSource, tx: Transactions, clock: Clock, log: Logger, ruleSets: RuleSetService): PeopleServices {
  const departments = () => ruleSets.current().engine.pack.catalog.departments;
  const onCall = new OnCallService(ds, tx, clock, departments);
  return {
    staff: new StaffService(ds, tx, clock, departments),
    contacts: new ContactService(ds, tx, clock, departments),
    onCall,
    notifications: new NotificationService(ds, tx, clock, log, ruleSets, onCall, config.notificationLink, config.maxPageSize),
    dispatcher: new NotificationDispatcher(ds, tx, clock, log, { timeoutMs: config.webhooks.timeoutMs, concurrency: config.webhooks.concurrency }),
    identity: new StaffIdentity(ds, config.oidc ? new OidcVerifier(config.oidc, clock, log) : null),
  };
}
