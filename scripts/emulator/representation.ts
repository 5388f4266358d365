/** How stored objects and buckets look on the wire: XML/media headers and JSON resources. */
import type { StoredBucket, StoredObject } from './store';
import { googHash, xmlEtag } from './store';

/** Headers of an object read (XML GET/HEAD and JSON `alt=media`). */
export function objectHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    'Cache-Control': object.cacheControl ?? 'private, max-age=0',
    'Last-Modified': new Date(object.updatedMs).toUTCString(),
    ETag: xmlEtag(object),
    'x-goog-hash': googHash(object.crc32c, object.md5Hash),
    'x-goog-generation': String(object.generation),
    'x-goog-metageneration': String(object.metageneration),
    'x-goog-stored-content-length': String(object.data.length),
    'x-goog-stored-content-encoding': object.contentEncoding ?? 'identity',
    'x-goog-storage-class': 'STANDARD',
  };
  if (object.contentEncoding) headers['Content-Encoding'] = object.contentEncoding;
  if (object.contentDisposition) headers['Content-Disposition'] = object.contentDisposition;
  for (const [key, value] of Object.entries(object.metadata ?? {})) headers[`x-goog-meta-${key}`] = value;
  return headers;
}

/** The JSON API `storage#object` resource; numbers that GCS sends as strings stay strings. */
export function objectResource(object: StoredObject, baseUrl: string): Record<string, unknown> {
  const encoded = encodeURIComponent(object.name);
  const resource: Record<string, unknown> = {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: String(object.generation),
    metageneration: String(object.metageneration),
    contentType: object.contentType,
    storageClass: 'STANDARD',
    size: String(object.data.length),
    md5Hash: object.md5Hash,
    crc32c: object.crc32c,
    etag: Buffer.from(`${object.generation}/${object.metageneration}`).toString('base64'),
    timeCreated: new Date(object.timeCreatedMs).toISOString(),
    updated: new Date(object.updatedMs).toISOString(),
    timeStorageClassUpdated: new Date(object.timeCreatedMs).toISOString(),
  };
  if (object.cacheControl !== undefined) resource.cacheControl = object.cacheControl;
  if (object.contentEncoding !== undefined) resource.contentEncoding = object.contentEncoding;
  if (object.contentDisposition !== undefined) resource.contentDisposition = object.contentDisposition;
  if (object.metadata !== undefined) resource.metadata = object.metadata;
  return resource;
}

export function bucketResource(bucket: StoredBucket, baseUrl: string): Record<string, unknown> {
  const created = new Date(bucket.timeCreatedMs).toISOString();
  return {
    kind: 'storage#bucket',
    id: bucket.name,
    selfLink: `${baseUrl}/storage/v1/b/${bucket.name}`,
    projectNumber: '0',
    name: bucket.name,
    timeCreated: created,
    updated: created,
    metageneration: '1',
    location: 'US',
    locationType: 'multi-region',
    storageClass: 'STANDARD',
    etag: 'CAE=',
  };
}
