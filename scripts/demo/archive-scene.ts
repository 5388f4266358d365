/**
 * The PyPI-2026 scene's words: the primary's secret goes wrong, the CDN restarts onto the archive,
 * an uncached status-200 check stays green, the canary goes red naming the primary and the restart.
 */
import { seconds, tPlus, type Scene } from './narrate';
import { duringOutage, type IncidentResult } from './scenario';

export interface ArchiveCast {
  emulatorUrl: string;
  cdnUrl: string;
  /** The sentinel's URL without its cache-busting query. */
  sentinelUrl: string;
  healthUrl: string;
  primary: { bucket: string; region: string };
  archive: { bucket: string; region: string };
  /** Masked: first 4 and last 4 characters. */
  primaryAccessId: string;
  archiveAccessId: string;
  uploadIntervalMs: number;
  resultTtlMs: number;
  servedBy: string;
}

/** Counted, not assumed: of the outage's green synthetic checks, how many were cache misses the CDN restarted onto the archive. */
export function fromArchive(result: IncidentResult): string {
  const green = duringOutage(result.observations.classic, result.rotatedAt, result.restoredAt).filter((o) => o.ok);
  const restarted = green.filter((o) => o.restarted && !o.fromCache).length;
  const other = green.length - restarted;
  return `answered 200; ${restarted} of them were cache misses the CDN restarted onto the archive${other === 0 ? '' : `, ${other} were not restarted`}`;
}

export const ARCHIVE_2026: Scene<ArchiveCast> = {
  intro(cast, plan, paint) {
    return [
      paint('bold', 'edge-canary demo: PyPI in 2026, a wrong primary secret answered from the archive'),
      '',
      `  storage emulator ${cast.emulatorUrl}  primary s3://${cast.primary.bucket} (Backblaze B2 style, ${cast.primary.region}),`,
      `                   archive s3://${cast.archive.bucket} (AWS S3 style, ${cast.archive.region}); SigV4-signed reads only`,
      `  uploader         writes the canary to both every ${seconds(cast.uploadIntervalMs)}, with its own key`,
      `  production CDN   ${cast.cdnUrl}  reads the primary with key ${cast.primaryAccessId} and the archive with`,
      `                   key ${cast.archiveAccessId}; restarts onto the archive on a 403, 404 or 5xx from the primary,`,
      '                   for every path, the canary\'s too (PyPI\'s service today); the canary path is never cached',
      `  synthetic check  GET ${cast.sentinelUrl}?nocache=N every ${seconds(plan.pollMs)}`,
      '                   (a new query each time, so never from cache; green on status 200)',
      `  edge-canary      GET ${cast.healthUrl} every ${seconds(plan.pollMs)}  (origin:primary, origin:fallback`,
      `                   and edge checks, one check shared per result_ttl_ms = ${seconds(cast.resultTtlMs)}),`,
      `                   served by ${cast.servedBy}`,
      '',
      `At ${tPlus(plan.rotateAtMs)} the primary's secret changes on the B2 bucket while the CDN and the canary keep the old one`,
      `(the 2022 mistake, one level down: now the CDN has an archive to restart onto). At ${tPlus(plan.restoreAtMs)} it is put back.`,
      '',
    ];
  },
  rotateText: ">>> the primary's secret rotated on the B2 bucket: the CDN restarts every uncached read onto the S3 archive",
  restoreText: ">>> the primary's secret restored on the B2 bucket",
  classicLabel: 'synthetic check',
  classicGreenBecause: fromArchive,
};
