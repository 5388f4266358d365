/**
 * fastly_shielding's memory layout and statuses, called the way Viceroy's shielding.witx defines
 * them (js-compute's guest only ever passes an option mask of 0; the other bits are Viceroy's).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backendModule } from '../../scripts/compute-host/guest/abi/backend';
import type { AbiModule } from '../../scripts/compute-host/guest/abi/hostcall';
import { shieldingModule } from '../../scripts/compute-host/guest/abi/shielding';
import { Status } from '../../scripts/compute-host/guest/status';
import { abiHarness, testJob } from './support/abi-session';
import type { AbiHarness, Call } from './support/abi-session';

let abi: AbiHarness;
let shielding: Record<string, Call>;
afterEach(() => abi?.close());

const calls = (module: AbiModule) => module as unknown as Record<string, Call>;
const FIRST_BYTE = 1 << 2;
const BETWEEN_BYTES = 1 << 3;

function setUp(): void {
  abi = abiHarness(
    testJob({
      shieldingSites: {
        'pdx-or-us': { kind: 'local' },
        'bfi-wa-us': { kind: 'remote', encrypted: 'https://bfi.example:8443/', unencrypted: 'http://bfi.example/' },
      },
    }),
  );
  shielding = calls(shieldingModule(abi.session));
}

function shieldInfo(name: string, bufLen = 256): { status: number; bytes: Uint8Array; nwritten: number } {
  const [np, nl] = abi.put(name);
  const buf = abi.alloc(bufLen);
  const nwritten = abi.alloc(4);
  const status = shielding.shield_info(np, nl, buf, bufLen, nwritten);
  return { status, bytes: status === Status.ok ? abi.bytes(buf, abi.u32(nwritten)) : new Uint8Array(), nwritten: abi.u32(nwritten) };
}

/** `configOffset` shifts the config record off its 4-byte alignment (the harness allocates 8-aligned). */
function backendFor(target: string, mask = 0, config: number[] = [0, 0, 0, 0], bufLen = 1024, configOffset = 0): { status: number; name: string; nwritten: number } {
  const [tp, tl] = abi.put(target);
  const [cp] = abi.put(new Uint8Array([...new Uint8Array(configOffset), ...new Uint8Array(new Uint32Array(config).buffer)]));
  const buf = abi.alloc(bufLen);
  const nwritten = abi.alloc(4);
  const status = shielding.backend_for_shield(tp, tl, mask, cp + configOffset, buf, bufLen, nwritten);
  return { status, name: status === Status.ok ? abi.text(buf, abi.u32(nwritten)) : '', nwritten: abi.u32(nwritten) };
}

describe('shield_info', () => {
  it('writes running_on, then the unencrypted and encrypted URLs, each NUL-terminated', () => {
    setUp();
    const remote = shieldInfo('bfi-wa-us');
    expect(remote.status).toBe(Status.ok);
    expect([...remote.bytes.slice(0, 1)]).toEqual([0]);
    expect(new TextDecoder().decode(remote.bytes.slice(1))).toBe('http://bfi.example/\0https://bfi.example:8443/\0');
    expect([...shieldInfo('pdx-or-us').bytes]).toEqual([1, 0, 0]);
  });

  it('is inval for an unknown name (new Shield throws) and buflen for a short buffer, writing no length (a witx result)', () => {
    setUp();
    expect(shieldInfo('nowhere').status).toBe(Status.inval);
    expect(shieldInfo('constructor').status).toBe(Status.inval);
    expect(shieldInfo('bfi-wa-us', 10)).toMatchObject({ status: Status.buflen, nwritten: 0 });
    expect(shieldInfo('bfi-wa-us', 47)).toMatchObject({ status: Status.ok, nwritten: 47 });
  });
});

describe('backend_for_shield', () => {
  it("registers `******<url>*****` for the sandbox; fastly_backend knows it as dynamic, with Viceroy's timeouts", () => {
    setUp();
    const made = backendFor('https://bfi.example:8443/', FIRST_BYTE | BETWEEN_BYTES, [0, 0, 1500, 700]);
    expect(made).toMatchObject({ status: Status.ok, name: '******https://bfi.example:8443/*****', nwritten: made.name.length });
    expect(abi.session.dynamicBackends.get(made.name)).toEqual({ name: made.name, url: 'https://bfi.example:8443/', firstByteTimeoutMs: 1500, betweenBytesTimeoutMs: 700 });
    const backend = calls(backendModule(abi.session));
    const [np, nl] = abi.put(made.name);
    const out = abi.alloc(4);
    expect(backend.is_dynamic(np, nl, out)).toBe(Status.ok);
    expect(abi.u32(out)).toBe(1);
    expect(backend.is_ssl(np, nl, out)).toBe(Status.ok);
    expect(abi.u32(out)).toBe(1);
    expect(backend.get_first_byte_timeout_ms(np, nl, out)).toBe(Status.ok);
    expect(abi.u32(out)).toBe(1500);
  });

  it('ignores the config timeouts unless their mask bit is set (js-compute writes the value, never the bit)', () => {
    setUp();
    const made = backendFor('http://bfi.example/', 0, [0, 0, 100, 100]);
    expect(abi.session.dynamicBackends.get(made.name)).toMatchObject({ firstByteTimeoutMs: null, betweenBytesTimeoutMs: null });
  });

  it('refuses the reserved bit, an empty target (a "Local" site), a misaligned config and a second registration', () => {
    setUp();
    expect(backendFor('http://bfi.example/', 1).status).toBe(Status.inval);
    expect(backendFor('').status).toBe(Status.inval);
    expect(backendFor('http://bfi.example/', 0, [0, 0, 0, 0], 1024, 2).status).toBe(Status.inval);
    expect(abi.session.dynamicBackends.size).toBe(0);
    expect(backendFor('http://bfi.example/').status).toBe(Status.ok);
    expect(backendFor('http://bfi.example/').status).toBe(Status.error);
  });

  it('a short buffer is buflen with no length written, the backend already registered (as Viceroy orders it)', () => {
    setUp();
    expect(backendFor('https://bfi.example:8443/', 0, [0, 0, 0, 0], 8)).toMatchObject({ status: Status.buflen, nwritten: 0 });
    expect(abi.session.dynamicBackends.has('******https://bfi.example:8443/*****')).toBe(true);
    expect(backendFor('https://bfi.example:8443/').status).toBe(Status.error);
  });
});
