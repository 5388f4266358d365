/** The control API's endpoints: what each method on each path does to the emulator state. */
import type { IncomingMessage } from 'node:http';
import { ControlInputError } from './errors';
import { parseFaultSpec } from './faults';
import { bucketOptions } from './control-bucket-options';
import type { EmulatorState } from './state';

export interface ControlRequest {
  method: string;
  params: string[];
  body: Buffer;
  req: IncomingMessage;
  state: EmulatorState;
}

export type ControlHandler = (request: ControlRequest) => { status?: number; body: unknown };

export interface ControlRoute {
  pattern: RegExp;
  methods: Record<string, ControlHandler>;
}

function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ControlInputError('the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlInputError('the request body must be a JSON object');
  return value as Record<string, unknown>;
}

function requiredString(fields: Record<string, unknown>, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '') throw new ControlInputError(`"${key}" must be a non-empty string`);
  return value;
}

const notFound = (what: string): ControlInputError => new ControlInputError(`${what} does not exist`, 404);

export const CONTROL_ROUTES: ControlRoute[] = [
  { pattern: /^\/?$/, methods: { GET: () => ({ body: { endpoints: ENDPOINT_SUMMARY } }) } },
  {
    pattern: /^\/log$/,
    methods: {
      GET: ({ state }) => ({ body: state.log.list() }),
      DELETE: ({ state }) => {
        state.log.clear();
        return { body: { cleared: true } };
      },
    },
  },
  {
    pattern: /^\/faults$/,
    methods: {
      GET: ({ state }) => ({ body: state.faults.list() }),
      POST: ({ state, body }) => ({ status: 201, body: state.faults.add(parseFaultSpec(jsonBody(body))) }),
      DELETE: ({ state }) => {
        state.faults.clear();
        return { body: { cleared: true } };
      },
    },
  },
  {
    pattern: /^\/keys$/,
    methods: {
      GET: ({ state }) => ({ body: { accessIds: state.keys.accessIds() } }),
      POST: ({ state, body }) => {
        const fields = jsonBody(body);
        const accessId = requiredString(fields, 'accessId');
        state.keys.set(accessId, requiredString(fields, 'secret'));
        return { body: { accessId } };
      },
    },
  },
  {
    pattern: /^\/keys\/rotate$/,
    methods: {
      POST: ({ state, body }) => {
        const accessId = requiredString(jsonBody(body), 'accessId');
        if (!state.keys.rotate(accessId)) throw notFound(`HMAC key ${accessId}`);
        return { body: { accessId, rotated: true } };
      },
    },
  },
  {
    pattern: /^\/keys\/restore$/,
    methods: {
      POST: ({ state }) => {
        state.keys.restore();
        return { body: { accessIds: state.keys.accessIds() } };
      },
    },
  },
  {
    pattern: /^\/keys\/(.+)$/,
    methods: {
      DELETE: ({ state, params: [accessId = ''] }) => {
        if (!state.keys.remove(accessId)) throw notFound(`HMAC key ${accessId}`);
        return { body: { accessId, removed: true } };
      },
    },
  },
  {
    pattern: /^\/buckets$/,
    methods: {
      GET: ({ state }) => ({
        body: state.store.bucketNames().map((name) => ({
          name,
          public: state.store.bucket(name)?.publicRead ?? false,
          ...state.store.bucket(name)?.flavour,
          objects: state.store.listObjects(name).map((o) => o.name),
        })),
      }),
    },
  },
  {
    pattern: /^\/buckets\/([^/]+)$/,
    methods: {
      POST: ({ state, params: [bucket = ''], body }) => {
        const created = state.store.createBucket(bucket, bucketOptions(jsonBody(body)));
        return { status: 201, body: { bucket, public: created.publicRead, ...created.flavour } };
      },
      DELETE: ({ state, params: [bucket = ''] }) => {
        if (!state.store.removeBucket(bucket)) throw notFound(`bucket ${bucket}`);
        return { body: { bucket, removed: true } };
      },
    },
  },
  {
    pattern: /^\/objects\/([^/]+)\/(.+)$/,
    methods: {
      PUT: ({ state, params: [bucket = '', object = ''], body, req }) => {
        if (!state.store.bucket(bucket)) throw notFound(`bucket ${bucket}`);
        const cacheControl = req.headers['cache-control'];
        const stored = state.store.putObject(bucket, object, body, {
          contentType: req.headers['content-type'] ?? 'application/octet-stream',
          ...(cacheControl ? { cacheControl } : {}),
        });
        return { status: 201, body: { bucket, object, generation: String(stored.generation), crc32c: stored.crc32c, md5Hash: stored.md5Hash } };
      },
      DELETE: ({ state, params: [bucket = '', object = ''] }) => {
        if (!state.store.removeObject(bucket, object)) throw notFound(`object ${bucket}/${object}`);
        return { body: { bucket, object, removed: true } };
      },
    },
  },
  {
    pattern: /^\/clock$/,
    methods: {
      GET: ({ state }) => ({ body: { offsetMs: state.clockOffsetMs, now: new Date(state.now()).toISOString() } }),
      POST: ({ state, body }) => {
        const offsetMs = jsonBody(body).offsetMs;
        if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) throw new ControlInputError('"offsetMs" must be a number');
        state.clockOffsetMs = offsetMs;
        return { body: { offsetMs, now: new Date(state.now()).toISOString() } };
      },
    },
  },
  {
    pattern: /^\/reset$/,
    methods: {
      POST: ({ state }) => {
        state.reset();
        return { body: { reset: true } };
      },
    },
  },
];

const ENDPOINT_SUMMARY = [
  'GET|DELETE /_emulator/log',
  'GET|POST|DELETE /_emulator/faults',
  'GET|POST /_emulator/keys',
  'POST /_emulator/keys/rotate',
  'POST /_emulator/keys/restore',
  'DELETE /_emulator/keys/:accessId',
  'GET /_emulator/buckets',
  'POST|DELETE /_emulator/buckets/:bucket',
  'PUT|DELETE /_emulator/objects/:bucket/:object',
  'GET|POST /_emulator/clock',
  'POST /_emulator/reset',
];

