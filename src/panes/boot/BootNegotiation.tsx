/** The boot-negotiation stepper (CPUID bit, UEFI variable, MSR write): filled by the SEV host issue. */
export function BootNegotiation() {
  return (
    <div className="placeholder tab-body">
      <p>The boot negotiation between OVMF, the guest kernel and KVM will be stepped through here.</p>
    </div>
  );
}
