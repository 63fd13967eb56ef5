/**
 * One-off generator of `../lab-amd-keys.ts`, the fixed RSA-4096 keys of the lab's AMD
 * roots (RSA key generation in BigInt at run time would be far too slow, so the keys are
 * made once with node:crypto and committed). Run: `npx tsx workers/psp/certs/test-support/make-lab-amd-keys.ts`
 * and redirect to the file. Re-running makes different keys (and so different golden values).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

function b64urlToHex(s: string): string {
  return Buffer.from(s, 'base64url').toString('hex');
}

function rsaPrimes(): { p: string; q: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096, publicExponent: 65537 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { p: b64urlToHex(jwk.p!), q: b64urlToHex(jwk.q!) };
}

function chunk(hex: string): string {
  const parts = hex.match(/.{1,96}/g) ?? [];
  return parts.map((x) => `    '${x}'`).join(' +\n');
}

function root(name: string): string {
  const ark = rsaPrimes();
  const ask = rsaPrimes();
  return `  '${name}': {
    arkKeyId: '${randomBytes(16).toString('hex')}',
    askKeyId: '${randomBytes(16).toString('hex')}',
    manufacturingKey: '${randomBytes(32).toString('hex')}',
    arkP:
${chunk(ark.p)},
    arkQ:
${chunk(ark.q)},
    askP:
${chunk(ask.p)},
    askQ:
${chunk(ask.q)},
  },`;
}

process.stdout.write(`/**
 * FIXTURE — lab-only key material, generated once by test-support/make-lab-amd-keys.ts.
 * The RSA-4096 primes of the lab's two "AMD" roots (ARK and ASK each), their key ids and
 * chip-factory secrets. They are public on purpose: this is a teaching lab, and nothing
 * real is signed with them. "lab-amd" plays genuine AMD; "rogue-amd" a look-alike.
 */

/** Hex fixtures of one AMD root. */
export interface AmdRootFixture {
  arkKeyId: string;
  askKeyId: string;
  manufacturingKey: string;
  arkP: string;
  arkQ: string;
  askP: string;
  askQ: string;
}

/** The two lab roots. */
export const LAB_AMD_KEYS: Readonly<Record<'lab-amd' | 'rogue-amd', AmdRootFixture>> = {
${root('lab-amd')}
${root('rogue-amd')}
};
`);
