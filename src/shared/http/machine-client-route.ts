import { SetMetadata } from '@nestjs/common';
import { MACHINE_CLIENT_ROUTE } from '../access/machine-clients.js';

/** The route is open to machine clients' tokens (the feed); every other route refuses them. */
export const ForMachineClients = (): MethodDecorator & ClassDecorator => SetMetadata(MACHINE_CLIENT_ROUTE, true);
