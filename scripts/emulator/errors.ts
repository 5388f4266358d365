/** Typed errors of the two GCS APIs, and how each renders on the wire. */

const XML_PROLOGUE = "<?xml version='1.0' encoding='UTF-8'?>";

/** An XML API error: `<Error><Code>…</Code><Message>…</Message>…</Error>`. */
export class XmlApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra elements GCS adds, in order (StringToSign, CanonicalRequest, Details). */
  readonly extra: ReadonlyArray<readonly [string, string]>;
  constructor(status: number, code: string, message: string, extra: ReadonlyArray<readonly [string, string]> = []) {
    super(message);
    this.name = 'XmlApiError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** A JSON API error: `{"error":{"code":…,"message":…,"errors":[{"reason":…}]}}`. */
export class JsonApiError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'JsonApiError';
    this.status = status;
    this.reason = reason;
  }
}

/** Bad input to the control API; answered as 400 with the message. */
export class ControlInputError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'ControlInputError';
    this.status = status;
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderXmlError(error: XmlApiError): string {
  const extra = error.extra.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  return `${XML_PROLOGUE}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}</Error>`;
}

export function renderJsonError(error: JsonApiError): string {
  return JSON.stringify({
    error: {
      code: error.status,
      message: error.message,
      errors: [{ message: error.message, domain: 'global', reason: error.reason }],
    },
  });
}

const XML_CODE_BY_STATUS: Record<number, string> = {
  400: 'InvalidArgument',
  401: 'AuthenticationRequired',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  408: 'RequestTimeout',
  429: 'SlowDown',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** The error code an injected status fault answers with. */
export function xmlCodeForStatus(status: number): string {
  return XML_CODE_BY_STATUS[status] ?? 'InjectedFault';
}

export const xmlErrors = {
  noSuchKey: () => new XmlApiError(404, 'NoSuchKey', 'The specified key does not exist.'),
  noSuchBucket: () => new XmlApiError(404, 'NoSuchBucket', 'The specified bucket does not exist.'),
  accessDenied: (message = 'Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.') =>
    new XmlApiError(403, 'AccessDenied', message),
  invalidAccessKeyId: () =>
    new XmlApiError(403, 'InvalidAccessKeyId', 'The access key ID you provided does not exist in our records.'),
  tooSkewed: () =>
    new XmlApiError(403, 'RequestTimeTooSkewed', "The difference between the request time and the server's time is too large."),
  invalidArgument: (message: string) => new XmlApiError(400, 'InvalidArgument', message),
};
