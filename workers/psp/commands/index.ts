/** The handler of every mailbox command, by §4 name (one command family per file). */
import { type SevCmdName } from '../command-table.js';
import { type CommandHandler } from './common.js';
import { dbgDecrypt, dbgEncrypt } from './debug.js';
import { activate, deactivate, decommission, guestStatus } from './guest-mgmt.js';
import { pdhCertExport, pdhGen, pekCertImportCmd, pekCsrCmd, pekGen } from './identity.js';
import { launchFinish, launchMeasure, launchSecret, launchStart, launchUpdateData, launchUpdateVmsa } from './launch.js';
import { dfFlush, getId, init, platformReset, platformStatus, shutdown } from './platform.js';
import { receiveFinish, receiveStart, receiveUpdateData, receiveUpdateVmsa } from './receive.js';
import { sendCancel, sendFinish, sendStart, sendUpdateData, sendUpdateVmsa } from './send.js';

export type { CommandHandler } from './common.js';

/** Handlers by command name. */
export const HANDLERS: Readonly<Record<SevCmdName, CommandHandler>> = {
  INIT: init,
  SHUTDOWN: shutdown,
  PLATFORM_RESET: platformReset,
  PLATFORM_STATUS: platformStatus,
  PEK_GEN: pekGen,
  PEK_CSR: pekCsrCmd,
  PEK_CERT_IMPORT: pekCertImportCmd,
  PDH_CERT_EXPORT: pdhCertExport,
  PDH_GEN: pdhGen,
  DF_FLUSH: dfFlush,
  GET_ID: getId,
  DECOMMISSION: decommission,
  ACTIVATE: activate,
  DEACTIVATE: deactivate,
  GUEST_STATUS: guestStatus,
  LAUNCH_START: launchStart,
  LAUNCH_UPDATE_DATA: launchUpdateData,
  LAUNCH_UPDATE_VMSA: launchUpdateVmsa,
  LAUNCH_MEASURE: launchMeasure,
  LAUNCH_SECRET: launchSecret,
  LAUNCH_FINISH: launchFinish,
  SEND_START: sendStart,
  SEND_UPDATE_DATA: sendUpdateData,
  SEND_UPDATE_VMSA: sendUpdateVmsa,
  SEND_FINISH: sendFinish,
  SEND_CANCEL: sendCancel,
  RECEIVE_START: receiveStart,
  RECEIVE_UPDATE_DATA: receiveUpdateData,
  RECEIVE_UPDATE_VMSA: receiveUpdateVmsa,
  RECEIVE_FINISH: receiveFinish,
  DBG_DECRYPT: dbgDecrypt,
  DBG_ENCRYPT: dbgEncrypt,
};
