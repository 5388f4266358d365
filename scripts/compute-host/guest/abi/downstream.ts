/** fastly_http_downstream: facts about the client connection (Viceroy's http_downstream.rs). */
import { utf8Bytes } from '../memory';
import type { Session } from '../session';
import { Status } from '../status';
import type { AbiModule } from './hostcall';
import { writeMultiValue } from './hostcall';

export function downstreamInfoCalls(session: Session) {
  const { memory, handles } = session;
  // Read when called: a sandbox is instantiated before its request is known.
  const request = () => session.job.request;
  const writeIp = (address: string, octetsOut: number, nwOut: number) => {
    const octets = ipOctets(address);
    memory.write(octetsOut, octets);
    memory.u32(nwOut, octets.byteLength);
    return Status.ok;
  };
  const isDownstream = (h: number) => handles.get(h, 'request') !== undefined;
  return {
    downstream_client_ip_addr_legacy: (octetsOut: number, nwOut: number) => writeIp(request().clientAddress, octetsOut, nwOut),
    downstream_server_ip_addr_legacy: (octetsOut: number, nwOut: number) => writeIp(request().serverAddress, octetsOut, nwOut),
    downstream_client_ip_addr(h: number, octetsOut: number, nwOut: number) {
      return isDownstream(h) ? writeIp(request().clientAddress, octetsOut, nwOut) : Status.badf;
    },
    downstream_server_ip_addr(h: number, octetsOut: number, nwOut: number) {
      return isDownstream(h) ? writeIp(request().serverAddress, octetsOut, nwOut) : Status.badf;
    },
    downstream_client_request_id(h: number, buf: number, max: number, nwOut: number) {
      if (!isDownstream(h)) return Status.badf;
      return memory.writeBounded(buf, max, utf8Bytes(session.job.traceId), nwOut) ? Status.ok : Status.buflen;
    },
    downstream_original_header_count(h: number, out: number) {
      if (!isDownstream(h)) return Status.badf;
      memory.u32(out, new Set(request().headers.map(([name]) => name.toLowerCase())).size);
      return Status.ok;
    },
    downstream_original_header_names(h: number, buf: number, bufLen: number, cursor: number, endPtr: number, nwPtr: number) {
      if (!isDownstream(h)) return Status.badf;
      const names = [...new Set(request().headers.map(([name]) => name))].map(utf8Bytes);
      return writeMultiValue(memory, names, buf, bufLen, cursor, endPtr, nwPtr);
    },
  };
}

/** The client connection is plain HTTP, so every TLS fact is absent (`none`), as in Viceroy. */
const TLS_FACTS = [
  'downstream_tls_cipher_openssl_name',
  'downstream_tls_protocol',
  'downstream_tls_client_hello',
  'downstream_tls_raw_client_certificate',
  'downstream_tls_ja3_md5',
  'downstream_tls_ja4',
  'downstream_tls_client_servername',
  'downstream_client_h2_fingerprint',
  'downstream_client_oh_fingerprint',
];

export function downstreamModule(session: Session): AbiModule {
  const { downstream_client_ip_addr_legacy: _client, downstream_server_ip_addr_legacy: _server, ...calls } = downstreamInfoCalls(session);
  const absent: AbiModule = Object.fromEntries(TLS_FACTS.map((name) => [name, () => Status.none]));
  return { ...absent, ...calls };
}

export function ipOctets(address: string): Uint8Array {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const v4 = mapped?.[1] ?? (/^\d+\.\d+\.\d+\.\d+$/.test(address) ? address : null);
  if (v4 !== null) return Uint8Array.from(v4.split('.').map(Number));
  const [head, tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = groups(head);
  const back = address.includes('::') ? groups(tail) : [];
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const octets = new Uint8Array(16);
  all.forEach((group, i) => {
    octets[i * 2] = (group >> 8) & 0xff;
    octets[i * 2 + 1] = group & 0xff;
  });
  return octets;
}
