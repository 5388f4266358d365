/** The diff API's text reduced to kinds, names and field names: values compared, never returned. */
import { describe, expect, it } from 'vitest';
import { describeChange, summarizeDiff } from '../../scripts/gate/diff-summary';
import { diffText, type ServiceConfig } from '../../scripts/fastly-api-fake';

const SECRET = 'c25pcHBldC1zZWNyZXQtbmV2ZXItcHJpbnRlZA==';
const gcs = { name: 'gcs', address: 'storage.googleapis.com', port: 443, first_byte_timeout: 5000 };
const sign = (secret: string) => ({ name: 'gcs_sign', type: 'miss', content: `set var.secret = "${secret}";\ncall sign;` });
const base: ServiceConfig = { backends: [gcs], snippets: [sign('b2xkLXNlY3JldA==')], settings: [] };

describe('summarizeDiff', () => {
  it.each<[string, ServiceConfig, string[]]>([
    ['no change', base, []],
    ['a changed snippet holding a credential', { ...base, snippets: [sign(SECRET)] }, ['snippet gcs_sign: changed (content; looks like it holds a credential: text not shown)']],
    ['a changed backend field', { ...base, backends: [{ ...gcs, first_byte_timeout: 15000 }] }, ['backend gcs: changed (first_byte_timeout)']],
    ['an added backend', { ...base, backends: [gcs, { name: 'archive', address: 'a.example' }] }, ['backend archive: added']],
    ['a removed snippet', { ...base, snippets: [] }, ['snippet gcs_sign: removed']],
  ])('%s', (_name, to, expected) => {
    expect(summarizeDiff(diffText(base, to)).map(describeChange)).toEqual(expected);
  });

  it('never returns a value from the diff', () => {
    const changes = summarizeDiff(diffText(base, { ...base, snippets: [sign(SECRET)], backends: [{ ...gcs, address: 'secret-host.example' }] }));
    expect(JSON.stringify(changes)).not.toContain(SECRET);
    expect(JSON.stringify(changes)).not.toContain('secret-host');
    expect(changes.map((c) => `${c.kind} ${c.name}`)).toEqual(['backend gcs', 'snippet gcs_sign']);
  });

  it('reads Fastly\'s own text format (go-fastly fixture: a backend added to an empty version)', () => {
    const diff = " acls: []\n-backends: []\n+backends:\n+- name: test-backend\n+  address: integ-test.go-fastly.com\n+  port: 80\n cache_settings: []\n comment: ''\n"
      + ' settings:\n   general.default_host: \'\'\n-  general.default_ttl: 3600\n+  general.default_ttl: 60\n snippets: []\n staging: false\n';
    expect(summarizeDiff(diff).map(describeChange)).toEqual(['backend test-backend: added', 'setting general.default_ttl: changed (value)']);
  });
});
