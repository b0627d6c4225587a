/** The API key lookup of every request (sha256 of the bearer key, unique index), named once: the write-path benchmark's ceiling sends it too. */
export const AUTHENTICATE_SQL = 'SELECT id, name, roles, source, act_for_staff, revoked_at FROM api_keys WHERE key_hash = ?';
