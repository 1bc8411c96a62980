export const APP_CONFIG = Symbol('AppConfig');
export const LOGGER = Symbol('Logger');
export { EVENT_STORE } from '../event-store/event-store.port.js';
export { READ_STORE } from '../read-store/read-store.port.js';
export { FILE_STORE } from '../files/file-store.port.js';
export { CLOCK } from '../time/clock.js';
