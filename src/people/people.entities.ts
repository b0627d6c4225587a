import { NotificationChannelEntity } from './notification-channel.entity';
import { NotificationEntity } from './notification.entity';
import { ContactEntity } from './contact.entity';
import { OnCallShiftEntity } from './on-call-shift.entity';
import { StaffMemberEntity } from './staff-member.entity';

/** The entities of the people feature (staff directory, contacts, on-call, notifications). */
export const PEOPLE_ENTITIES = [StaffMemberEntity, ContactEntity, OnCallShiftEntity, NotificationChannelEntity, NotificationEntity];
