/**
 * Event kinds of the KVM component and of the vCPU as the guest sees it. The vCPU kinds
 * (`vcpu.*`) are emitted with the *caller's* component (`guest` or `ovmf`): they are the
 * guest's side of the boot-negotiation stepper (the question); the `kvm.*` kinds are
 * KVM's side (the answer, the exit, the completion). All register values are hex strings.
 */
import type { Json } from '../core/events.js';

declare module '../core/events.js' {
  interface EventKinds {
    /** The guest executes CPUID. */
    'vcpu.cpuid': { leaf: string; subleaf: string };
    /** The guest executes RDMSR. */
    'vcpu.rdmsr': { msr: string; name: string };
    /** The guest executes WRMSR. */
    'vcpu.wrmsr': { msr: string; name: string; value: string };
    /** The guest executes VMMCALL with RAX = nr and RBX, RCX, RDX, RSI = a0..a3. */
    'vcpu.vmmcall': { nr: number; name: string; abi: string; args: Record<string, Json> };
    /** KVM's answer to CPUID (from the CPUID table the VMM set with KVM_SET_CPUID2). */
    'kvm.cpuid': { leaf: string; subleaf: string; eax: string; ebx: string; ecx: string; edx: string; features?: string[] };
    /** KVM handled an MSR access: in the kernel, by exiting to the VMM, or by injecting #GP. */
    'kvm.msr': { dir: 'rdmsr' | 'wrmsr'; msr: string; name: string; value: string; outcome: 'handled' | 'exit' | '#GP'; why: string };
    /** KVM decoded a hypercall; `outcome` says whether it exits to the VMM or returns at once. */
    'kvm.hypercall': { nr: number; name: string; abi: string; outcome: 'exit' | 'ret'; ret?: string; retName?: string; why: string };
    /** `KVM_RUN` returned to the VMM with this exit (payload fields as `struct kvm_run` names them). */
    'kvm.exit': { reason: number; name: string; run: Record<string, Json> };
    /** The next `KVM_RUN` completed the exit (complete_userspace_io): what the guest gets. */
    'kvm.complete': { exit: string; rax?: string; retName?: string; gp?: boolean };
    /** A VM or vCPU ioctl from the VMM. */
    'kvm.ioctl': { ioctl: string; args: Record<string, Json>; ret: number; retName: string };
    /** One `KVM_MEMORY_ENCRYPT_OP` sub-command, with the PSP commands it issued. */
    'kvm.sev-cmd': { id: number; name: string; ret: number; retName: string; error: number; errorName: string; psp: string[]; note?: string };
    /**
     * The VM went away (the last close of its fd, e.g. the VMM exited): `kvm_destroy_vm`
     * and, for an SEV VM, `sev_vm_destroy` with the PSP commands it issued (`NAME→STATUS`)
     * and what KVM's ASID bitmaps now say about the ASID.
     */
    'kvm.vm-destroy': { sev: boolean; asid: number; handle: number; psp: string[]; asidState: string; note: string };
    /** KVM wrote guest memory on its own (kvmclock pages), with the C-bit clear. */
    'kvm.guest-write': { gpa: string; len: number; what: string };
  }
}

export {};
