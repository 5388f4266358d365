/** The witx `fastly_status` values (typenames.witx): every hostcall returns one of these. */
export const Status = {
  ok: 0,
  error: 1,
  inval: 2,
  badf: 3,
  buflen: 4,
  unsupported: 5,
  badalign: 6,
  httpinvalid: 7,
  httpuser: 8,
  httpincomplete: 9,
  none: 10,
  httpheadtoolarge: 11,
  httpinvalidstatus: 12,
  limitexceeded: 13,
  again: 14,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

/** A guest pointer or length outside its memory: the reference host answers `inval`. */
export class GuestMemoryError extends Error {}
