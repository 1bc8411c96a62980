import type { FastifyReply } from 'fastify';
import type { CommandOutcome } from '../command/command-path.js';

/** What every command answers: the stream revision (also as ETag) and the log position to wait for. */
export interface CommandAccepted {
  id: string;
  revision: number;
  position: number;
  events: string[];
}

export function commandResponse(reply: FastifyReply, id: string, outcome: CommandOutcome<unknown>): CommandAccepted {
  void reply.header('ETag', `"${outcome.revision}"`).header('X-Log-Position', String(outcome.position));
  return { id, revision: outcome.revision, position: outcome.position, events: outcome.events.map((e) => e.type) };
}
