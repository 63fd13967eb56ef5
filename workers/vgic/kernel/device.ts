/**
 * A KVM device file descriptor's attribute ioctls, as the model exposes them: a NULL
 * `kvm_device_attr.addr` is `buf === null`, otherwise `buf` is the u64 the pointer
 * points to (its low 32 bits for u32 attributes).
 */
import type { KvmResult } from './result.js';

/** KVM_SET/GET/HAS_DEVICE_ATTR on one device. */
export interface KvmDevice {
  /** The `enum kvm_device_type` it was created with. */
  readonly type: number;
  setAttr(group: number, attr: bigint, buf: bigint | null): KvmResult;
  /** On success `value` holds what the kernel wrote to the buffer. */
  getAttr(group: number, attr: bigint, buf: bigint | null): KvmResult;
  /** has_attr never reads the buffer. */
  hasAttr(group: number, attr: bigint): KvmResult;
}
