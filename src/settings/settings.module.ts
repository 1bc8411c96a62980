import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { registerContext } from '../shared/context-manifest.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import { BusinessWindowGuard } from './api/business-window.guard.js';
import { SettingsController } from './api/settings.controller.js';
import { SettingsService } from './application/settings.service.js';
import { SETTINGS_HANDLERS } from './application/settings.handlers.js';
import { SETTINGS_MANIFEST } from './settings.manifest.js';

/** Per-province feature switches and business time windows, enforced by a guard other contexts use. */
@Module({ controllers: [SettingsController], providers: [SettingsService, ...SETTINGS_HANDLERS, { provide: APP_GUARD, useClass: BusinessWindowGuard }], exports: [SettingsService] })
export class SettingsModule implements OnModuleInit {
  constructor(private readonly registry: EventRegistry) {}

  onModuleInit(): void {
    registerContext(SETTINGS_MANIFEST, this.registry);
  }
}
