import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventActor } from '../event-store/event-store.port.js';

/** A child whose personal data an answer shows unmasked: where the record lives decides who may audit the read. */
export interface ReadSubject {
  recordId: string;
  institutionCode: string;
  divisionCode: string;
}

/** One answer's reads: who, from where, by which route, and whose data. */
export interface PersonalDataReadEntry {
  reader: EventActor;
  route: string;
  clientAddress: string;
  correlationId: string;
  subjects: ReadSubject[];
}

/** Where reads are recorded durably (the audit context's events); bound to READ_AUDIT_SINK. */
export interface ReadAuditSink {
  record(entry: PersonalDataReadEntry): Promise<void>;
}
export const READ_AUDIT_SINK = Symbol('READ_AUDIT_SINK');

/** The reads of the request being answered, collected while its handlers run. */
export interface ReadScope {
  subjects: Map<string, ReadSubject>;
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs `next` (the rest of a request) with a fresh scope; the HTTP hook records it before the answer leaves. */
export function withReadScope(scope: ReadScope, next: () => void): void {
  scopes.run(scope, next);
}

/**
 * Query handlers call this for every child whose personal data they answer unmasked (issue 21,
 * item 6): the institution's own accounts, arbitrating offices for the entries of their case. Outside
 * a request (command-line tools, reactors) nothing is collected: nobody reads there.
 */
export function personalDataShown(subjects: Iterable<ReadSubject>): void {
  const scope = scopes.getStore();
  if (!scope) return;
  for (const s of subjects) scope.subjects.set(s.recordId, { recordId: s.recordId, institutionCode: s.institutionCode, divisionCode: s.divisionCode });
}

/**
 * The reads collected so far in this request's scope, taken out of it: an answer written in parts
 * (the change feed's event stream, which never reaches the HTTP hook's onSend) records each part's
 * reads before writing it.
 */
export function takeShownReads(): ReadSubject[] {
  const scope = scopes.getStore();
  if (!scope || scope.subjects.size === 0) return [];
  const taken = [...scope.subjects.values()];
  scope.subjects.clear();
  return taken;
}
