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

/** People, not keys: the staff directory, contacts, on-call and what reaches people. */
export interface PeopleServices {
  staff: StaffService;
  identity: StaffIdentity;
  contacts: ContactService;
  onCall: OnCallService;
}

export function createPeopleServices(config: AppConfig, ds: DataSource, tx: Transactions, clock: Clock, log: Logger, ruleSets: RuleSetService): PeopleServices {
  const departments = () => ruleSets.current().engine.pack.catalog.departments;
  return {
    staff: new StaffService(ds, tx, clock, departments),
    contacts: new ContactService(ds, tx, clock, departments),
    onCall: new OnCallService(ds, tx, clock, departments),
    identity: new StaffIdentity(ds, config.oidc ? new OidcVerifier(config.oidc, clock, log) : null) };
}
