/**
 * Crypto-shredding as a port (ADR 23): destroys a subject's data key, so its sealed values read
 * as ERASED everywhere from then on. Idempotent. `enabled` is false where personal data is not
 * encrypted at rest (PERSONAL_DATA_ENCRYPTION=off): erasure is then refused, not pretended.
 */
export interface DataKeyShredder {
  readonly enabled: boolean;
  shred(subject: string, audit: { at: string; by: string; reason: string }): void;
}

export const DATA_KEY_SHREDDER = Symbol('DATA_KEY_SHREDDER');

export const NO_SHREDDER: DataKeyShredder = { enabled: false, shred: () => undefined };
