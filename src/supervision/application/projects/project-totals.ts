import { addFen } from '../../domain/fen.js';
import type { Funds } from '../../domain/funding-project.decider.js';

export interface Totals {
  projects: number;
  central: string;
  provincial: string;
  local: string;
  /** central + provincial + local */
  funds: string;
  allocated: string;
  spent: string;
}

interface Figures {
  funds: Funds;
  allocated: string;
  spent: string;
}

/** Exact sums by source (BigInt over fen strings): the same at every level, whatever the order. */
export function totalsOf(projects: readonly Figures[]): Totals {
  const central = addFen(...projects.map((p) => p.funds.central));
  const provincial = addFen(...projects.map((p) => p.funds.provincial));
  const local = addFen(...projects.map((p) => p.funds.local));
  return { projects: projects.length, central, provincial, local, funds: addFen(central, provincial, local), allocated: addFen(...projects.map((p) => p.allocated)), spent: addFen(...projects.map((p) => p.spent)) };
}
