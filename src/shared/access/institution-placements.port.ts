/**
 * Where the institution-code registry puts an institution: its county's division code, or null
 * when the code is not registered. Provided by the organisation context, so that contexts which
 * place things at an institution (accounts) check the institution's county instead of trusting
 * the division code they were given.
 */
export interface InstitutionPlacements {
  countyOf(institutionCode: string): Promise<string | null>;
}

export const INSTITUTION_PLACEMENTS = Symbol('INSTITUTION_PLACEMENTS');
