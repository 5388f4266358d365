/** The PyPI-like `origins` value the several-origins tests share: a B2 primary and an S3 archive. */
export const ORIGINS = [
  { role: 'primary', backend: 'b2', bucket: 'files-b2', object: 'edge-canary/canary.json', signing: 'aws4',
    host: 's3.us-east-005.backblazeb2.com', region: 'us-east-005', provider: 'b2', credential: 'primary' },
  { role: 'fallback', backend: 'archive', bucket: 'files-archive', object: 'edge-canary/canary.json', signing: 'aws4',
    host: 's3.us-west-2.amazonaws.com', url_style: 'virtual', region: 'us-west-2', provider: 's3', credential: 'archive' },
];
