import crypto from 'node:crypto';

/** The sha256 of a text (UTF-8), in hex: API keys, report inputs, idempotency requests, filed documents. */
export const sha256 = (text: string): string => crypto.hash('sha256', text, 'hex');
