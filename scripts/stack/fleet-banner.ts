/** What `npm start -- --fleet` prints once the fleet is up: the fleet URL, every member, and how to break one shield. */
import { seconds, type BannerInput } from './banner';
import { describeRuntime } from './runtime';

/** The stack's facts as the single-canary banner takes them, with the fleet's members instead of one canary. */
export interface FleetBannerInput extends Pick<BannerInput, 'runtime' | 'emulatorUrl' | 'bucket' | 'object' | 'accessId' | 'uploaderIntervalMs'> {
  edgeUrl: string;
  shields: { code: string; canaryUrl: string; pathUrl: string }[];
  /** The first `/health?scope=fleet` answer, as the user would see it. */
  firstCheck: { status: string; reason: string; elapsedMs: number };
}

export function renderFleetBanner(input: FleetBannerInput): string {
  const { edgeUrl: edge, emulatorUrl: emulator, firstCheck, shields } = input;
  const width = Math.max(...shields.map((shield) => shield.code.length));
  const broken = shields[0];
  const lines = [
    `edge-canary local fleet: /health?scope=fleet says ${firstCheck.status} (${firstCheck.reason}) ${seconds(firstCheck.elapsedMs)} after start`,
    '',
    `  fleet      ${edge}/health?scope=fleet   (the edge's check and every shield's, one answer)`,
    `  edge       ${edge}/health   (this POP alone)`,
    ...shields.map((shield) => `  shield     ${shield.code.padEnd(width)}  ${shield.canaryUrl}   (FASTLY_POP ${shield.code}; its route to the bucket: ${shield.pathUrl})`),
    `  runtime    ${input.runtime} - ${describeRuntime(input.runtime)}, every member`,
    `  emulator   ${emulator}   (control API: ${emulator}/_emulator/)`,
    `  uploader   gs://${input.bucket}/${input.object}, rewritten every ${seconds(input.uploaderIntervalMs)}`,
    '',
    'Try:',
    `  curl -s '${edge}/health?scope=fleet&format=text'`,
    `  # ${broken.code} loses its route to the bucket: the fleet says partial_outage at 1/${shields.length} shields, naming it`,
    `  curl -s -XPOST ${broken.pathUrl}/_path/hang`,
    `  curl -s -XPOST ${broken.pathUrl}/_path/restore`,
  ];
  if (input.accessId !== null) {
    lines.push(
      '  # the bucket\'s HMAC secret changes: every POP fails, a major outage',
      `  curl -s -XPOST ${emulator}/_emulator/keys/rotate -d '{"accessId":"${input.accessId}"}'`,
      `  curl -s -XPOST ${emulator}/_emulator/keys/restore`,
    );
  }
  lines.push('', `Ctrl-C stops them all (${shields.length + 1} canaries, the uploader and the emulator).`);
  return `${lines.join('\n')}\n`;
}
