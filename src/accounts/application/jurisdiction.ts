import type { Principal } from './principal.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';

/**
 * What of a division-keyed read model a caller may see: the ministry all, a province or
 * prefecture its code prefix, a county its own code, an institution only its own document.
 */
export function jurisdictionFilter(principal: Principal): Filter {
  switch (principal.level) {
    case 'ministry':
      return {};
    case 'province':
      return { divisionCode: { $prefix: principal.divisionCode.slice(0, 2) } };
    case 'prefecture':
      return { divisionCode: { $prefix: principal.divisionCode.slice(0, 4) } };
    case 'county':
      return { divisionCode: principal.divisionCode };
    case 'institution':
      return { id: principal.institutionCode ?? '-' };
  }
}

/** The filter for one document by id within the caller's jurisdiction, or null when it cannot be visible. */
export function oneWithin(principal: Principal, id: string): Filter | null {
  const scope = jurisdictionFilter(principal);
  // an institution's scope pins its own id: another id must not replace it
  if ('id' in scope && scope['id'] !== id) return null;
  return { ...scope, id };
}
