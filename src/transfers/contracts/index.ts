// What other contexts may use of transfers (reports, the feed): the transfer's event types and the module.
export type { TransferEvent, TransferStatus, TransferFlow } from '../domain/transfer.decider.js';
export { TransfersModule } from '../transfers.module.js';
