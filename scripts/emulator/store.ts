/** In-memory buckets and objects with GCS generations and checksums. */
import { createHash } from 'node:crypto';
import { crc32cBase64 } from './crc32c';
import { GCS_FLAVOUR } from './providers';
import type { BucketFlavour } from './providers';

export interface ObjectMetadataInput {
  contentType?: string;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  /** Custom metadata (`x-goog-meta-*`, or `x-amz-meta-*` on S3-flavoured buckets). */
  metadata?: Record<string, string>;
  /** The checksum an S3 client sent with the write (`x-amz-checksum-*`), answered on reads that ask for it. */
  writtenChecksum?: WrittenChecksum;
}

/** Only what the writer declared is kept: S3 answers a checksum on GET only when one was sent on PUT. */
export interface WrittenChecksum {
  algorithm: 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';
  /** Base64, as on the wire. */
  value: string;
}

export interface StoredObject extends ObjectMetadataInput {
  bucket: string;
  name: string;
  data: Buffer;
  contentType: string;
  generation: number;
  metageneration: number;
  /** Base64 MD5 of the data. */
  md5Hash: string;
  /** Base64 big-endian CRC32C of the data. */
  crc32c: string;
  timeCreatedMs: number;
  updatedMs: number;
}

export interface StoredBucket {
  name: string;
  timeCreatedMs: number;
  /** Public buckets answer unsigned XML reads; buckets are private unless created public. */
  publicRead: boolean;
  /** Which API and error semantics the bucket answers with: GCS (default) or an S3-compatible provider. */
  flavour: BucketFlavour;
  objects: Map<string, StoredObject>;
}

export interface CreateBucketOptions {
  publicRead?: boolean;
  flavour?: BucketFlavour;
}

export class ObjectStore {
  private readonly buckets = new Map<string, StoredBucket>();
  private lastGeneration = 0;

  constructor(private readonly clock: () => number) {}

  createBucket(name: string, options: CreateBucketOptions = {}): StoredBucket {
    const existing = this.buckets.get(name);
    if (existing) {
      existing.publicRead = options.publicRead ?? existing.publicRead;
      existing.flavour = options.flavour ?? existing.flavour;
      return existing;
    }
    const bucket: StoredBucket = {
      name,
      timeCreatedMs: this.clock(),
      publicRead: options.publicRead ?? false,
      flavour: options.flavour ?? GCS_FLAVOUR,
      objects: new Map(),
    };
    this.buckets.set(name, bucket);
    return bucket;
  }

  bucket(name: string): StoredBucket | undefined {
    return this.buckets.get(name);
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  removeBucket(name: string): boolean {
    return this.buckets.delete(name);
  }

  object(bucket: string, name: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.objects.get(name);
  }

  /** Writes a new generation; the caller has checked that the bucket exists. */
  putObject(bucketName: string, name: string, data: Buffer, input: ObjectMetadataInput = {}): StoredObject {
    const bucket = this.buckets.get(bucketName);
    if (!bucket) throw new Error(`bucket ${bucketName} does not exist`);
    const now = this.clock();
    // Like GCS, generations are microsecond timestamps, but strictly increasing even for an injected clock.
    this.lastGeneration = Math.max(this.lastGeneration + 1, Math.floor(now) * 1000);
    const stored: StoredObject = {
      ...input,
      bucket: bucketName,
      name,
      data,
      contentType: input.contentType ?? 'application/octet-stream',
      generation: this.lastGeneration,
      metageneration: 1,
      md5Hash: createHash('md5').update(data).digest('base64'),
      crc32c: crc32cBase64(data),
      timeCreatedMs: now,
      updatedMs: now,
    };
    bucket.objects.set(name, stored);
    return stored;
  }

  removeObject(bucket: string, name: string): boolean {
    return this.buckets.get(bucket)?.objects.delete(name) ?? false;
  }

  listObjects(bucket: string, prefix = ''): StoredObject[] {
    const objects = [...(this.buckets.get(bucket)?.objects.values() ?? [])];
    return objects.filter((o) => o.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}

/** The XML API ETag: the quoted hex MD5, as GCS sends for non-composite objects. */
export function xmlEtag(object: StoredObject): string {
  return `"${Buffer.from(object.md5Hash, 'base64').toString('hex')}"`;
}

export function googHash(crc32c: string, md5Hash: string): string {
  return `crc32c=${crc32c},md5=${md5Hash}`;
}

/** Preconditions of the JSON API, checked against the current object (undefined = none). */
export interface Preconditions {
  ifGenerationMatch?: number;
  ifGenerationNotMatch?: number;
  ifMetagenerationMatch?: number;
  ifMetagenerationNotMatch?: number;
}

/** True when every given precondition holds; generation 0 means "no live object". */
export function preconditionsHold(current: StoredObject | undefined, p: Preconditions): boolean {
  const generation = current?.generation ?? 0;
  if (p.ifGenerationMatch !== undefined && p.ifGenerationMatch !== generation) return false;
  if (p.ifGenerationNotMatch !== undefined && p.ifGenerationNotMatch === generation) return false;
  if (p.ifMetagenerationMatch !== undefined && p.ifMetagenerationMatch !== current?.metageneration) return false;
  if (p.ifMetagenerationNotMatch !== undefined && p.ifMetagenerationNotMatch === current?.metageneration) return false;
  return true;
}
