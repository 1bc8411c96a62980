import { Module } from '@nestjs/common';
import { HealthController, ProjectionStatusController } from './system.controller.js';

@Module({ controllers: [HealthController, ProjectionStatusController] })
export class SystemModule {}
