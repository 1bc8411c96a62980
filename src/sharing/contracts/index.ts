// What other contexts may use of the sharing context: its module (the feed and API clients have no other callers yet).
export { SharingModule } from '../sharing.module.js';
