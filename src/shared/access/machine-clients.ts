/**
 * Machine clients (portals, the registration system) authenticate with their own bearer tokens
 * (OAuth 2.0 client credentials), not with an account's session. The kernel names the port the
 * accounts guard asks (ADR 21): a token with MACHINE_TOKEN_PREFIX is handed to the provider of
 * MACHINE_CLIENTS (the sharing context), and it opens only routes marked @ForMachineClients().
 */
export const MACHINE_TOKEN_PREFIX = 'pcc_';
export const MACHINE_CLIENTS = Symbol('MachineClients');
export const MACHINE_CLIENT_ROUTE = 'machine-client-route';

/** The authenticated machine client: its jurisdiction and data profile. */
export interface MachineClient {
  clientId: string;
  name: string;
  level: 'province' | 'prefecture' | 'county';
  divisionCode: string;
  profile: 'summary' | 'masked' | 'personal';
}

export interface MachineClientVerifier {
  /** The client of a live token, or null (unknown, expired, rotated away or revoked). */
  verify(token: string): Promise<MachineClient | null>;
}

export type MachineClientRequest = { machineClient?: MachineClient };
