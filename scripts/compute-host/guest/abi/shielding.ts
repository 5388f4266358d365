/**
 * fastly_shielding (Viceroy's wiggle_abi/shielding.rs, shielding.witx), as js-compute-runtime's
 * `Shield` builtin calls it:
 * - `new Shield(name)` calls `shield_info(name)` and parses `[running_on u8][unencrypted URL]\0
 *   [encrypted URL]\0`; a name the manifest does not list is `inval`, and the constructor throws.
 * - `encryptedBackend()` passes that encrypted URL (not the shield's name) to
 *   `backend_for_shield`, which registers a backend `******<url>*****` for this sandbox and
 *   returns its name; `fetch` then sends to it like to any backend, within the 32-request budget.
 */
import { siteNamed } from '../../../../src/node/shielding-sites';
import type { DynamicBackend } from '../../protocol';
import { concat } from '../body';
import { utf8Bytes } from '../memory';
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';

/** shield_backend_options (shielding.witx): bit 0 reserved, then cache key, first-byte, between-bytes. */
const OPTION_RESERVED = 1 << 0;
const OPTION_USE_CACHE_KEY = 1 << 1;
const OPTION_FIRST_BYTE_TIMEOUT = 1 << 2;
const OPTION_BETWEEN_BYTES_TIMEOUT = 1 << 3;
/** shield_backend_config: cache_key ptr u32, cache_key_len u32, first_byte_timeout_ms u32, between_bytes_timeout_ms u32. */
const CONFIG_BYTES = 16;
/** The config is a record of u32s: wiggle refuses a pointer to it that is not 4-aligned (Viceroy: `inval`). */
const CONFIG_ALIGN = 4;

/**
 * Both hostcalls return their length as a witx result, which wiggle writes only on success: a
 * buffer too small is `buflen` with nothing written (unlike the config store's get, which writes
 * the size needed).
 */
function writeResult(memory: Session['memory'], buf: number, bufLen: number, data: Uint8Array, nwrittenOut: number): number {
  if (data.byteLength > bufLen >>> 0) return Status.buflen;
  memory.write(buf, data);
  memory.u32(nwrittenOut, data.byteLength);
  return Status.ok;
}

export function shieldingModule(session: Session): AbiModule {
  const { memory } = session;
  return {
    shield_info(namePtr: number, nameLen: number, buf: number, bufLen: number, nwrittenOut: number) {
      const name = memory.string(namePtr, nameLen);
      const sites = session.job.shieldingSites;
      const site = siteNamed(sites, name);
      if (site === undefined) return Status.inval;
      const runningOn = site.kind === 'local';
      const unencrypted = site.kind === 'remote' ? site.unencrypted : '';
      const encrypted = site.kind === 'remote' ? site.encrypted : '';
      const info = concat([Uint8Array.of(runningOn ? 1 : 0), utf8Bytes(unencrypted), Uint8Array.of(0), utf8Bytes(encrypted), Uint8Array.of(0)]);
      return writeResult(memory, buf, bufLen, info, nwrittenOut);
    },

    backend_for_shield(targetPtr: number, targetLen: number, mask: number, configPtr: number, buf: number, bufLen: number, nwrittenOut: number) {
      const target = memory.string(targetPtr, targetLen);
      if ((mask & OPTION_RESERVED) !== 0) return Status.inval;
      if (configPtr % CONFIG_ALIGN !== 0) return Status.inval;
      const config = memory.bytes(configPtr, CONFIG_BYTES);
      const field = (index: number) => new DataView(config.buffer).getUint32(index * 4, true);
      if ((mask & OPTION_USE_CACHE_KEY) !== 0) memory.string(field(0), field(1));
      // A local site's URLs are empty: Viceroy's Uri::from_str("") fails, so does this.
      if (!URL.canParse(target)) return Status.inval;
      const name = `******${target}*****`;
      // Viceroy's add_backend refuses a name already registered: a second encryptedBackend() of the same shield in one request fails.
      if (session.dynamicBackends.has(name) || session.job.backends.some((backend) => backend.name === name)) return Status.error;
      const backend: DynamicBackend = {
        name,
        url: target,
        firstByteTimeoutMs: (mask & OPTION_FIRST_BYTE_TIMEOUT) !== 0 ? field(2) : null,
        betweenBytesTimeoutMs: (mask & OPTION_BETWEEN_BYTES_TIMEOUT) !== 0 ? field(3) : null,
      };
      // Registered before the buffer is checked, as Viceroy does: a retry with a larger buffer then finds the name taken.
      session.dynamicBackends.set(name, backend);
      return writeResult(memory, buf, bufLen, utf8Bytes(name), nwrittenOut);
    },
  };
}
