// What other contexts may use of the settings context: mark a command route with its business.
export { InBusiness } from '../api/business-window.guard.js';
export { BUSINESSES, type Business } from '../domain/province-settings.decider.js';
export { SettingsModule } from '../settings.module.js';
