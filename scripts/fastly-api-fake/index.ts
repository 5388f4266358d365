/** A fake Fastly API and the local staging/production networks it activates versions on. */
export { startFakeFastlyApi } from './server';
export type { Environment, FakeFastlyApi, FakeFastlyApiOptions, FakeServiceSpec, FakeVersion, RecordedCall } from './server';
export { startFakeNetworks } from './networks';
export type { FakeNetworks } from './networks';
export { diffText, renderServiceYaml } from './service-yaml';
export type { ServiceConfig, ServiceObject } from './service-yaml';
