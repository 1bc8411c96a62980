// What other contexts may use of the hand-over (issue 16): its module; the hand-over itself is published by records (RecordHandedOver).
export { HandoverModule } from '../handover.module.js';
