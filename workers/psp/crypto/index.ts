/**
 * Public API of the PSP's cryptography (reference §9, §10, §11, §13, §15). Firmware code
 * imports from here, not from the individual files.
 *
 * | Firmware command              | Call                                                        |
 * |-------------------------------|-------------------------------------------------------------|
 * | ACTIVATE (install VEK)        | `new MemoryCipher(vek)`                                     |
 * | LAUNCH_UPDATE_DATA            | `LaunchDigest.update(plain)`, `MemoryCipher.encrypt(spa,…)` |
 * | LAUNCH_MEASURE                | `launchMeasureBlob(tik, {...})`                             |
 * | LAUNCH_START (with owner)     | `openSessionChannel({...})`                                 |
 * | LAUNCH_SECRET                 | `TransportKeys.openSecret(hdr, trans, measurement)`         |
 * | SEND_START                    | certs `validate*`, then `createSendSession({...})`          |
 * | SEND_UPDATE_DATA              | `MemoryCipher.decrypt` into buf, `TransportKeys.sealPacketInPlace` |
 * | RECEIVE_START                 | `openSessionChannel({...})`                                 |
 * | RECEIVE_UPDATE_DATA           | `TransportKeys.openPacket`, then `MemoryCipher.encrypt`     |
 * | DBG_DECRYPT / DBG_ENCRYPT     | `MemoryCipher.decrypt` / `.encrypt`                         |
 * | guest owner (`owner` steps)   | `buildOwnerSession`, `buildLaunchSecret`                    |
 */
export { Aes128Key, AES_BLOCK_LEN, AES128_KEY_LEN } from './aes.js';
export {
  bytesEqual,
  readU32LE,
  writeU32LE,
  u32LE,
  reverseBytes,
  bytesToBigIntBE,
  bigIntToBytesBE,
  type RandomSource,
} from './bytes.js';
export { openSessionChannel, createSendSession, type OpenChannel, type OpenSessionInput, type SendSessionInput } from './channel.js';
export {
  buildOwnerSession,
  buildLaunchSecret,
  type OwnerSessionInput,
  type OwnerSession,
  type OwnerSecretInput,
} from './guest-owner.js';
export { sha256, createSha256, hmacSha256, HmacSha256Key, SHA256_LEN, type Sha256Stream } from './hash.js';
export { sevKdf, deriveSessionKeys, KDF_LABEL, type SessionKeys } from './kdf.js';
export {
  launchMeasurement,
  launchMeasureBlob,
  measurementMessage,
  verifyLaunchMeasureBlob,
  LaunchDigest,
  MEASURE_BLOB_LEN,
  MNONCE_LEN,
  type MeasurementInput,
} from './measurement.js';
export { MemoryCipher, MEMORY_PAGE_LEN } from './memory-cipher.js';
export {
  p384PublicKey,
  p384KeyPairFromSeed,
  p384KeyPairFromRng,
  p384IsValidPublicKey,
  p384Ecdh,
  ecdsaP384Sign,
  ecdsaP384Verify,
  P384_LEN,
  type P384PublicKey,
  type P384KeyPair,
  type EcdsaSignature,
  type SevDigest,
} from './p384.js';
export {
  buildSessionBlob,
  openSessionBlob,
  parseSessionBlob,
  policyMac,
  SESSION_BLOB_LEN,
  SESSION_OFFSET,
  type SessionBlobFields,
  type SessionSecrets,
  type OpenedSession,
} from './session.js';
export { CRYPTO_STATUS_CODE, cryptoFail, type CryptoStatus, type CryptoFailure, type CryptoResult } from './status.js';
export {
  TransportKeys,
  encodePacketHeader,
  decodePacketHeader,
  packetAad,
  PACKET_HDR_LEN,
  PACKET_AAD_LEN,
  PACKET_FLAG_COMPRESSED,
  CHANNEL_CTX,
  type PacketHeader,
  type SealedPacket,
} from './transport.js';
