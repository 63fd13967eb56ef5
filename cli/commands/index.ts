/** Every CLI command, in the order `--help` lists them. Add a command here. */
import type { CliCommand } from '../command.js';
import { bootCommand } from './boot.js';
import { eventsCommand } from './events.js';
import { migrateCommand } from './migrate.js';
import { monitorCommand } from './monitor.js';
import { pspCommand } from './psp.js';
import { vgicCommand } from './vgic.js';

export const commands: readonly CliCommand[] = [eventsCommand, pspCommand, vgicCommand, bootCommand, monitorCommand, migrateCommand];
