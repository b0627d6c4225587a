/** The notification service's and dispatcher's SQL, named once. */

/** Whether any notification channel is active (a report's transaction asks before telling people). Param: active=true. */
export const ANY_ACTIVE_CHANNEL = 'SELECT id FROM notification_channels WHERE active = ? LIMIT 1';

/** Channels with notifications due. Params: now, active=true. */
export const DUE_CHANNELS = `SELECT DISTINCT n.channel_id FROM notifications n JOIN notification_channels c ON c.id = n.channel_id
  WHERE n.status = 'PENDING' AND n.next_attempt_at <= ? AND c.active = ? LIMIT 100`;

/** A channel no other process holds (jobs/claim.ts): its claim is free or expired. Param: now. */
export const CHANNEL_CLAIMABLE = 'claimed_until IS NULL OR claimed_until < ?';

/** The claim's mark. Params: worker id, claimed until. */
export const CHANNEL_CLAIM = 'claimed_by = ?, claimed_until = ?';
