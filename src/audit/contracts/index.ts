// What other contexts may use of audit: nothing but the module (they report reads through the kernel's personalDataShown).
export { AuditModule } from '../audit.module.js';
