// What other contexts may use of enrolment (transfers: class assignment after arrival).
export type { ClassEvent, Grade, Mark } from '../domain/class.decider.js';
export type { PlacementEvent } from '../domain/placement.decider.js';
export { EnrolmentModule } from '../enrolment.module.js';
// a transferred child gives its class place up at once (transfers)
export { ClassPlaces } from '../application/class-places.js';
